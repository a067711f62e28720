import { expect, test, type Page } from "@playwright/test";
import { expectNoAccessibilityViolations, waitForHydration } from "./helpers";

const organizer = { email: "claire.fontaine@congres-demo.fr", password: "demo-organisation-2026" };
const delegate = { email: "amelie.rousseau@congres-demo.fr", password: "demo-deleguee-2026" };

async function signIn(page: Page, account: { email: string; password: string }) {
  await page.goto("/connexion");
  await page.getByLabel("Adresse e-mail professionnelle").fill(account.email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible();
}

test.describe("sans JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("une déléguée se connecte avec le formulaire local puis se déconnecte", async ({ page }) => {
    await signIn(page, delegate);
    await expect(page.getByText("Connecté·e : Amélie Rousseau")).toBeVisible();
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await expect(page.getByRole("link", { name: "Se connecter" })).toBeVisible();
  });

  test("un mauvais mot de passe est refusé sans dire si le compte existe", async ({ page }) => {
    await page.goto("/connexion");
    await page.getByLabel("Adresse e-mail professionnelle").fill(delegate.email);
    await page.getByLabel("Mot de passe", { exact: true }).fill("ce n’est pas le bon");
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("Adresse e-mail ou mot de passe incorrect.");
  });
});

test("une élue s’inscrit et une organisatrice vérifie son mandat", async ({ page, browser }) => {
  await page.goto("/inscription");
  await waitForHydration(page);
  await page.getByLabel("Prénom").fill("Lucie");
  await page.getByLabel("Nom d’usage").fill("Morel");
  await page.getByLabel("Adresse e-mail professionnelle").fill("lucie.morel@lunel.fr");
  await page.getByLabel("Fonction élective").selectOption("maire");
  await page.getByLabel("Collectivité", { exact: true }).fill("Lunel");
  const code = page.getByLabel("Code INSEE de la commune ou SIREN de la collectivité");
  await code.fill("ABCDE");
  await page.getByRole("button", { name: "Envoyer ma demande" }).click();
  await expect(page.getByRole("status")).toContainText("Certains champs sont à corriger");
  await expect(page.getByRole("status")).toContainText("Code INSEE ou SIREN : n’est pas valide");
  await expect(code).toHaveAttribute("aria-invalid", "true");
  await code.fill("34145");
  await page.getByRole("button", { name: "Envoyer ma demande" }).click();
  await expect(page.getByRole("status")).toContainText("Votre demande est enregistrée");

  const organizerContext = await browser.newContext({ locale: "fr-FR" });
  const console = await organizerContext.newPage();
  await signIn(console, organizer);
  await console.getByRole("link", { name: "Participant·es" }).click();
  await waitForHydration(console);
  const row = console.getByRole("row", { name: /Lucie Morel/ });
  await expect(row).toContainText("En attente de vérification");
  await row.getByRole("button", { name: "Vérifier le mandat" }).click();
  await expect(console.getByRole("row", { name: /Lucie Morel/ })).toContainText("Vérifié·e");
  await organizerContext.close();
});

test("audit d’accessibilité : connexion, inscription, participant·es, profil", async ({ page }) => {
  for (const path of ["/connexion", "/inscription"]) {
    await page.goto(path);
    await waitForHydration(page);
    await expectNoAccessibilityViolations(page);
  }
  await signIn(page, organizer);
  for (const path of ["/organisation/participants", "/profil"]) {
    await page.goto(path);
    await waitForHydration(page);
    await expectNoAccessibilityViolations(page);
  }
});

test("une déléguée ne voit pas la page des participant·es", async ({ page }) => {
  await signIn(page, delegate);
  await expect(page.getByRole("link", { name: "Participant·es" })).toHaveCount(0);
  const response = await page.goto("/organisation/participants");
  expect(response?.status()).toBe(403);
  await expect(page.getByText("Vous n’avez pas le droit de faire cela.")).toBeVisible();
});

test("une maire inscrite se connecte avec le fournisseur d’identité (OpenID Connect)", async ({ page }) => {
  await page.goto("/inscription");
  await waitForHydration(page);
  await page.getByLabel("Prénom").fill("Marie");
  await page.getByLabel("Nom d’usage").fill("Dupont");
  await page.getByLabel("Adresse e-mail professionnelle").fill("marie.dupont@mairie-exemple.fr");
  await page.getByLabel("Fonction élective").selectOption("maire");
  await page.getByLabel("Collectivité", { exact: true }).fill("Exemple-sur-Loire");
  await page.getByLabel("Code INSEE de la commune ou SIREN de la collectivité").fill("45234");
  await page.getByRole("button", { name: "Envoyer ma demande" }).click();
  await expect(page.getByRole("status")).toContainText("Votre demande est enregistrée");

  await page.goto("/connexion");
  await page.getByRole("button", { name: "Se connecter avec ProConnect (démo)" }).click();
  await page.getByLabel("Identifiant").fill("marie.dupont");
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  await expect(page.getByText("Connecté·e : Marie Dupont")).toBeVisible();
});
