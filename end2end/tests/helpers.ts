import type { Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';

export async function waitForHydration(page: Page) {
  await page.locator('body[data-hydrated="true"]').waitFor();
}

export async function gotoHydrated(page: Page, path: string) {
  await page.goto(path);
  await waitForHydration(page);
}

export function loginForm(page: Page) {
  return page.locator('form').filter({ has: page.locator('input[name=email]') });
}

export async function logIn(page: Page, email: string, password: string) {
  const form = loginForm(page);
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=password]').fill(password);
  await form.getByRole('button', { name: 'Entrar', exact: true }).click();
}


/** A message the loopback SMTP server received (scripts/smtp_sink.py). */
export interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; type: string; body: string }[];
}

function receivedMail(): Mail[] {
  const folder = process.env.MAIL_DIR;
  if (!folder) throw new Error('MAIL_DIR is not set: run the browser tests through scripts/test.sh');
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')) as Mail);
}

/** Waits until the SMTP server has received a message that `matches`. */
export async function waitForMail(matches: (mail: Mail) => boolean, timeoutMs = 20_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = receivedMail().find(matches);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = receivedMail().map((m) => `${m.to.join(',')}: ${m.subject}`).join('\n  ');
      throw new Error(`no such email within ${timeoutMs} ms; received:\n  ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A local date-time in the rooms' zone, `hours` from now, as the API reads it. */
export function localInMexico(hours: number): string {
  const instant = new Date(Date.now() + hours * 3600 * 1000);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:00`;
}
