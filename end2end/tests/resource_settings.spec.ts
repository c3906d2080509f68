import { test, expect } from '@playwright/test';
import { gotoHydrated, logIn, waitForHydration } from './helpers';

// A manager's settings page, /panel/recursos/:id, reached from "Editar" on
// /panel: closing a date there greys it out at once in the public
// profile's calendar ([data-testid=calendar-day][data-date=...][data-free]).

/** "YYYY-MM-DD" in the demo resources' zone, `days` from today. */
function mexicoDate(days: number): string {
  const instant = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(instant);
}

function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm);
}

test('a manager closes a date and the profile calendar greys it out', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await logIn(page, 'manager@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();

  await page.locator('li').filter({ hasText: 'Lucía Ortega' }).getByTestId('edit-resource').click();
  await expect(page).toHaveURL(/\/panel\/recursos\/\d+$/);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lucía Ortega');

  const date = mexicoDate(40);
  const add = page.getByTestId('add-exception-form');
  await add.getByLabel('Fecha', { exact: true }).fill(date);
  await expect(add.getByLabel('Cerrado todo el día')).toBeChecked();
  await add.getByRole('button', { name: 'Añadir fecha' }).click();
  const exception = page.locator(`[data-testid=date-exception][data-date="${date}"]`);
  await expect(exception).toContainText('Cerrado todo el día');

  await gotoHydrated(page, '/r/lucia-ortega');
  const calendar = page.getByTestId('calendar-picker');
  for (let i = 0; i < monthsBetween(mexicoDate(0), date); i++) {
    await calendar.getByRole('button', { name: 'Mes siguiente' }).click();
  }
  const closed = calendar.locator(`[data-testid=calendar-day][data-date="${date}"]`);
  await expect(closed).toHaveAttribute('data-free', 'false');
  await expect(closed).toBeDisabled();

  // Leave the demo data as it was for the other specs.
  await page.goBack();
  await waitForHydration(page);
  await page.locator(`[data-testid=date-exception][data-date="${date}"]`).getByRole('button', { name: 'Quitar' }).click();
  await expect(page.locator(`[data-testid=date-exception][data-date="${date}"]`)).toHaveCount(0);
});
