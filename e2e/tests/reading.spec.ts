import { expect, test } from "@playwright/test";
import { expectNoAccessibilityViolations, waitForHydration } from "./helpers";

test.describe("sans JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("la page d’accueil est en français et liste le congrès de démonstration", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await expect(page.getByRole("heading", { level: 1, name: "Congrès et motions" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "6e Congrès national des élu·es au numérique" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Motion 2026 : un numérique public proche des habitants" })).toBeVisible();
    await expect(page.getByText("Le 10 décembre 2026")).toBeVisible();
  });

  test("le changement de langue marche aussi sans JavaScript", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Congresses and motions" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.getByRole("button", { name: "Français" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Congrès et motions" })).toBeVisible();
  });
});

test("la page hydratée change de langue sans recharger", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  // A marker on the window object disappears if the page reloads.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Congresses and motions" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  // The choice is remembered for the next page.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Congresses and motions" })).toBeVisible();
  await waitForHydration(page);
  await page.getByRole("button", { name: "Français" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Congrès et motions" })).toBeVisible();
});

test("la page de la motion montre les paragraphes numérotés", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Motion 2026 : un numérique public proche des habitants" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Motion 2026 : un numérique public proche des habitants" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Inclusion numérique : n’oublier personne" })).toBeVisible();
  await expect(page.locator(".paragraph")).toHaveCount(12);
  await expect(page.getByRole("link", { name: /^Paragraphe 1 — l\. 1 à \d+$/ })).toBeVisible();
  await expect(page.locator(".line__number").first()).toHaveText("1");
  await expect(page.getByText("Nous demandons qu’aucune démarche administrative essentielle", { exact: false })).toBeVisible();
});

test("une motion inconnue donne une page 404 lisible", async ({ page }) => {
  const response = await page.goto("/motions/999999");
  expect(response?.status()).toBe(404);
  await expect(page.getByText("Cette page n’existe pas ou n’existe plus.")).toBeVisible();
});

for (const [name, path] of [
  ["accueil", "/"],
  ["motion", "/motions/1"],
  ["page introuvable", "/nulle-part"],
] as const) {
  test(`audit d’accessibilité (axe, WCAG 2.1 AA) : ${name}`, async ({ page }) => {
    await page.goto(path);
    await waitForHydration(page);
    await expectNoAccessibilityViolations(page);
  });
}

test("audit d’accessibilité en anglais", async ({ page, context }) => {
  await context.addCookies([{ name: "hemicycle_lang", value: "en", url: "http://127.0.0.1" }]);
  await page.goto("/motions/1");
  await waitForHydration(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expectNoAccessibilityViolations(page);
});
