import { test, expect } from '@playwright/test';
import * as fs from 'node:fs';
import { gotoHydrated, logIn, waitForHydration } from './helpers';

// The manager's reports, /panel/informes, reached from the panel: a GET
// form with the dates, three SVG charts drawn on the server, and a CSV
// download for every table (/informes/{table}.csv).

test('a manager opens the report, sees the charts and downloads a CSV', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await logIn(page, 'manager@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();

  await page.getByTestId('report-links').getByRole('link', { name: 'Informes' }).click();
  await expect(page).toHaveURL(/\/panel\/informes$/);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Informes');

  const form = page.getByTestId('range-form');
  await form.getByLabel('Desde').fill('2026-01-01');
  await form.getByLabel('Hasta').fill('2026-12-31');
  await form.getByRole('button', { name: 'Ver informe' }).click();
  await expect(page).toHaveURL(/desde=2026-01-01&hasta=2026-12-31/);

  const charts = page.getByTestId('report-chart').locator('svg[role=img]');
  await expect(charts).toHaveCount(3);
  await expect(page.getByRole('img', { name: 'Reservas por estado' })).toBeVisible();
  await expect(page.getByTestId('report-table')).toHaveCount(4);

  const utilization = page.locator('[data-testid=report-table][data-table=ocupacion]');
  const downloading = page.waitForEvent('download');
  await utilization.getByTestId('csv-link').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('informe-ocupacion-2026-01-01-2026-12-31.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  expect(csv.split('\r\n')[0]).toBe('Recurso,Horas reservadas,Horas abiertas,Ocupación');
  expect(csv).toContain('Lucía Ortega');
});

test('a range the reports refuse is explained next to the field', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await logIn(page, 'manager@reservo.test', 'demo-password');
  await expect(page.getByTestId('role-home')).toBeVisible();
  const response = await page.goto('/panel/informes?desde=2026-03-10&hasta=2026-03-01');
  expect(response?.status()).toBe(422);
  await expect(page.locator('#hasta-error')).toHaveText('La fecha final debe ser igual o posterior a la inicial.');
});
