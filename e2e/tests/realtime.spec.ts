// Runs after motion.spec.ts (files are run in name order): that journey expects the demo motion's first amendment.
import { expect, test, type Page } from "@playwright/test";
import { expectNoAccessibilityViolations, signedInPage, waitForHydration } from "./helpers";

const amelie = { email: "amelie.rousseau@congres-demo.fr", password: "demo-deleguee-2026" };
const karim = { email: "karim.benali@congres-demo.fr", password: "demo-delegue-2026" };


/** Files an amendment to the second paragraph of the demo motion with `rationale`, from `page`. */
async function fileAmendment(page: Page, rationale: string) {
  await page.goto("/motions/1");
  await page.getByRole("link", { name: "Amender ce paragraphe" }).nth(1).click();
  await waitForHydration(page);
  const text = page.getByLabel("Texte proposé");
  await text.fill(`${await text.inputValue()} ${rationale}`);
  await page.getByLabel("Exposé des motifs").first().fill(rationale);
  await page.getByRole("button", { name: "Déposer l’amendement" }).click();
  await expect(page.getByText(/Amendement n° \d+ déposé\./)).toBeVisible();
}

test("un amendement déposé dans un onglet apparaît dans l’autre sans recharger, même après une coupure", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const reader = await signedInPage(browser, amelie);
  await reader.goto("/motions/1/amendements");
  await waitForHydration(reader);
  await expect(reader.locator(".live").getByText("En direct")).toBeVisible();
  const loads: string[] = [];
  reader.on("load", () => loads.push(reader.url()));

  const author = await signedInPage(browser, karim);
  const first = `Déposé en direct ${Date.now()}.`;
  await fileAmendment(author, first);
  await expect(reader.getByText(first).first()).toBeVisible();
  await expectNoAccessibilityViolations(reader);

  // Ten seconds without network: the indicator says so calmly, then the page catches up on its own.
  await reader.context().setOffline(true);
  const second = `Déposé pendant la coupure ${Date.now()}.`;
  await fileAmendment(author, second);
  await reader.waitForTimeout(10_000);
  await reader.context().setOffline(false);
  await expect(reader.getByText(second).first()).toBeVisible({ timeout: 30_000 });
  await expect(reader.locator(".live").getByText("En direct")).toBeVisible();
  expect(loads, "the page was never reloaded").toEqual([]);
});
