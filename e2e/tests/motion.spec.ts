import { expect, test } from "@playwright/test";
import { expectNoAccessibilityViolations, signedInPage, waitForHydration } from "./helpers";

const organizer = { email: "claire.fontaine@congres-demo.fr", password: "demo-organisation-2026" };
const amelie = { email: "amelie.rousseau@congres-demo.fr", password: "demo-deleguee-2026" };
const karim = { email: "karim.benali@congres-demo.fr", password: "demo-delegue-2026" };


test("un amendement cosigné, déclaré recevable et adopté entre dans l’historique du paragraphe", async ({ browser }) => {
  // A delegate amends the first paragraph, with the live word diff under her eyes.
  const delegate = await signedInPage(browser, amelie);
  await delegate.goto("/motions/1");
  await delegate.getByRole("link", { name: "Amender ce paragraphe" }).first().click();
  await waitForHydration(delegate);
  const text = delegate.getByLabel("Texte proposé");
  const current = await text.inputValue();
  expect(current).toContain("Des millions de personnes renoncent");
  await text.fill(current.replace("Des millions de personnes", "Près de treize millions de personnes"));
  await expect(delegate.locator(".preview ins").first()).toContainText("Près de treize");
  await expect(delegate.locator(".preview del").first()).toContainText("Des");
  await delegate.getByLabel("Exposé des motifs").first().fill("Chiffrer le constat le rend plus fort.");
  await delegate.getByRole("button", { name: "Déposer l’amendement" }).click();
  await expect(delegate.getByText("Amendement n° 1 déposé.")).toBeVisible();
  await expectNoAccessibilityViolations(delegate);

  // Another delegate co-signs it.
  const cosigner = await signedInPage(browser, karim);
  await cosigner.goto("/motions/1/amendements");
  await waitForHydration(cosigner);
  await cosigner.getByRole("button", { name: "Cosigner" }).first().click();
  await expect(cosigner.getByText("Amendement cosigné.")).toBeVisible();

  // The organizer declares it admissible, then adopts it by hand.
  const console = await signedInPage(browser, organizer);
  await console.goto("/motions/1/amendements");
  await waitForHydration(console);
  await expectNoAccessibilityViolations(console);
  await console.getByRole("button", { name: "Déclarer recevable" }).first().click();
  await expect(console.getByText("Amendement déclaré recevable.")).toBeVisible();
  await console.getByRole("button", { name: "Adopter" }).first().click();
  await expect(console.getByText("Amendement adopté et intégré au texte.")).toBeVisible();

  // The motion shows the new text; the history shows the diff and where it comes from.
  await console.goto("/motions/1");
  await expect(console.getByText("Près de treize millions de personnes renoncent")).toBeVisible();
  await console.getByRole("link", { name: "Historique" }).first().click();
  await expect(console.getByText("Version 2")).toBeVisible();
  await expect(console.getByText("amendement n° 1 adopté")).toBeVisible();
  await expect(console.locator("ins").first()).toContainText("Près de treize");
  await waitForHydration(console);
  await expectNoAccessibilityViolations(console);
});
