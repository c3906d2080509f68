import type { Page } from '@playwright/test';

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

