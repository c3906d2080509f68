import { test, expect } from '@playwright/test';
import { gotoHydrated, logIn, loginForm, waitForHydration } from './helpers';

// UI contract (Spanish by default):
// - /login: inputs name=email ("Correo electrónico") and name=password
//   ("Contraseña"), submit button "Entrar"; a wrong password shows
//   [role=alert] "Correo o contraseña incorrectos" and stays on /login.
// - after login: /panel, an h1 per role, [data-testid=role-home][data-role],
//   the user's name in [data-testid=current-user], a "Salir" button.
// - anonymous header: a link "Entrar" and a language switch "English".
// - <body data-hydrated="true"> once the wasm has hydrated.

const PASSWORD = 'demo-password';

const ROLES = [
  { role: 'client', email: 'client@reservo.test', heading: 'Mis reservas' },
  { role: 'manager', email: 'manager@reservo.test', heading: 'Panel del manager' },
  { role: 'admin', email: 'admin@reservo.test', heading: 'Administración' },
] as const;

test('login page has labelled email and password fields', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await expect(page.getByLabel('Correo electrónico', { exact: true })).toHaveAttribute('name', 'email');
  await expect(page.getByLabel('Contraseña', { exact: true })).toHaveAttribute('name', 'password');
  await expect(loginForm(page).getByRole('button', { name: 'Entrar', exact: true })).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Entrar', exact: true })).toBeVisible();
});

for (const { role, email, heading } of ROLES) {
  test(`${role} logs in, sees the ${role} home and logs out`, async ({ page }) => {
    await gotoHydrated(page, '/login');
    await logIn(page, email, PASSWORD);

    await expect(page).toHaveURL(/\/panel\/?$/);
    await waitForHydration(page);
    await expect(page.locator('h1')).toHaveText(heading);
    await expect(page.getByTestId('role-home')).toHaveAttribute('data-role', role);
    await expect(page.getByTestId('current-user')).toHaveText(/\S/);

    await page.getByRole('button', { name: 'Salir', exact: true }).click();
    await expect(page.getByTestId('current-user')).toHaveCount(0);
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Entrar', exact: true })).toBeVisible();
    await page.goto('/panel');
    await expect(page).toHaveURL(/\/login$/);
  });
}

test('wrong password stays on /login and shows an error', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await logIn(page, 'client@reservo.test', 'wrong-password');

  await expect(page.locator('[role=alert]')).toContainText('Correo o contraseña incorrectos');
  await expect(page).toHaveURL(/\/login(\?.*)?$/);
  await expect(page.getByTestId('current-user')).toHaveCount(0);
});

test('unknown path shows the 404 page', async ({ page }) => {
  const response = await page.goto('/no-existe');
  expect(response?.status()).toBe(404);
  await expect(page.locator('body')).toContainText('Página no encontrada');
});

test('language switch turns the login page to English', async ({ page }) => {
  await gotoHydrated(page, '/login');
  await expect(page.getByLabel('Correo electrónico', { exact: true })).toBeVisible();

  const english = page.getByRole('button', { name: 'English', exact: true })
    .or(page.getByRole('link', { name: 'English', exact: true }));
  await english.click();

  await expect(page.getByLabel('Email', { exact: true })).toBeVisible();
  await expect(loginForm(page).getByRole('button', { name: 'Log in', exact: true })).toBeVisible();
});
