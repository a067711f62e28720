import { expect, test } from "@playwright/test";
import { expectNoAccessibilityViolations, signedInPage, waitForHydration } from "./helpers";

const organizer = { email: "claire.fontaine@congres-demo.fr", password: "demo-organisation-2026" };
const amelie = { email: "amelie.rousseau@congres-demo.fr", password: "demo-deleguee-2026" };
const karim = { email: "karim.benali@congres-demo.fr", password: "demo-delegue-2026" };
const chair = { email: "bernard.lemoine@congres-demo.fr", password: "demo-presidence-2026" };


const DRAFT = `Le congrès des élu·es au numérique,

# Les communes

Considérant que les communes
sont le premier guichet du service public,

Demande un fonds dédié à l’inclusion numérique.

# Les données

Affirme que les données publiques sont un bien commun.`;

test("une motion naît d’un brouillon, s’ouvre aux amendements, et un conflit se résout", async ({ browser }) => {
  test.setTimeout(120_000);
  const title = `Motion de test ${Date.now()}`;

  // The organizer creates a motion from a Markdown draft, previewed live.
  const org = await signedInPage(browser, organizer);
  await org.getByRole("link", { name: "Console" }).click();
  await expect(org.getByRole("heading", { name: "Console d’organisation", level: 1 })).toBeVisible();
  await waitForHydration(org);
  await org.getByLabel("Titre de la motion").fill(title);
  await org.getByLabel("Brouillon", { exact: true }).fill(DRAFT);
  await expect(org.getByText("Aperçu : 2 sections, 4 paragraphes.")).toBeVisible();
  await expectNoAccessibilityViolations(org);
  await org.getByRole("button", { name: "Créer la motion" }).click();
  await expect(org.getByText("La motion a été créée, en phase de brouillon.")).toBeVisible();
  await org.getByRole("link", { name: "Ouvrir la motion" }).click();
  await expect(org.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(org.getByRole("heading", { name: "Les communes", level: 2 })).toBeVisible();
  await expect(org.getByText("Considérant que les communes sont le premier guichet du service public,")).toBeVisible();
  const motionUrl = org.url();
  await expectNoAccessibilityViolations(org);

  // It edits a paragraph of the draft, then opens amendments.
  await org.getByRole("link", { name: "Modifier" }).nth(2).click();
  await waitForHydration(org);
  const text = org.getByLabel("Texte proposé");
  await text.fill("Demande un fonds dédié à l’inclusion numérique des habitants.");
  await expect(org.locator(".preview ins").first()).toContainText("des habitants");
  await org.getByRole("button", { name: "Enregistrer le paragraphe" }).click();
  await expect(org.getByText("Le paragraphe a été enregistré : une nouvelle version est créée.")).toBeVisible();
  await expect(org.getByText("Version 2")).toBeVisible();
  await org.goto(`${motionUrl}/amendements`);
  await waitForHydration(org);
  await org.getByLabel("Passer à la phase").selectOption({ label: "Amendements ouverts" });
  await org.getByRole("button", { name: "Changer de phase" }).click();
  await expect(org.getByText("Phase modifiée.")).toBeVisible();

  // A delegate amends the third paragraph and invites a co-signatory.
  const delegate = await signedInPage(browser, amelie);
  await delegate.goto(motionUrl);
  await delegate.getByRole("link", { name: "Amender ce paragraphe" }).nth(2).click();
  await waitForHydration(delegate);
  await delegate.getByLabel("Texte proposé").fill("Demande un fonds consacré à l’inclusion numérique des habitants.");
  await delegate.getByRole("button", { name: "Déposer l’amendement" }).click();
  await expect(delegate.getByText(/Amendement n° 1 déposé\./)).toBeVisible();
  await delegate.getByRole("link", { name: "Inviter des cosignataires" }).click();
  await expect(delegate.getByRole("heading", { name: "Amendement n° 1 : modifier et inviter" })).toBeVisible();
  await waitForHydration(delegate);
  await delegate.getByLabel("Délégué·e à inviter").selectOption({ label: "Karim Benali — Roubaix" });
  await delegate.getByRole("button", { name: "Inviter", exact: true }).click();
  await expect(delegate.getByText(/L’invitation a été envoyée/)).toBeVisible();
  await expect(delegate.getByText("Invité·es à cosigner : Karim Benali")).toBeVisible();
  await expectNoAccessibilityViolations(delegate);

  // The invited delegate finds the invitation first on the list and co-signs.
  const cosigner = await signedInPage(browser, karim);
  await cosigner.goto(`${motionUrl}/amendements`);
  await expect(cosigner.getByRole("heading", { name: "Vous êtes invité·e à cosigner" })).toBeVisible();
  await waitForHydration(cosigner);
  await cosigner.getByRole("button", { name: "Cosigner" }).first().click();
  await expect(cosigner.getByText("Amendement cosigné.")).toBeVisible();

  // The organizer fixes the same words: the amendment is in conflict, and its author resolves it.
  await org.goto(motionUrl);
  await org.getByRole("link", { name: "Corriger" }).nth(2).click();
  await waitForHydration(org);
  await org.getByLabel("Texte proposé").fill("Demande un fonds réservé à l’inclusion numérique des habitants.");
  await org.getByLabel("Motif de la correction").fill("Terme du rapport.");
  await org.getByRole("button", { name: "Enregistrer la correction" }).click();
  await expect(org.getByText("La correction a été enregistrée.")).toBeVisible();

  await delegate.goto(`${motionUrl}/amendements`);
  await expect(delegate.getByRole("heading", { name: "Conflit avec le texte actuel" })).toBeVisible();
  await waitForHydration(delegate);
  await expectNoAccessibilityViolations(delegate);
  await delegate
    .getByLabel("Texte proposé, à partir du texte actuel")
    .fill("Demande un fonds consacré à l’inclusion numérique des habitants.");
  await delegate.getByRole("button", { name: "Résoudre le conflit" }).click();
  await expect(delegate.getByText("Le conflit est résolu : l’amendement s’applique au texte actuel.")).toBeVisible();
  await expect(delegate.getByRole("heading", { name: "Conflit avec le texte actuel" })).toHaveCount(0);
  await expect(delegate.locator(".amendment ins").first()).toContainText("consacré");

  // The session opens; the chair puts a paragraph under debate and the delegate's page follows it live.
  await org.goto(`${motionUrl}/amendements`);
  await waitForHydration(org);
  await org.getByLabel("Passer à la phase").selectOption({ label: "Séance" });
  await org.getByRole("button", { name: "Changer de phase" }).click();
  await expect(org.getByText("Phase modifiée.")).toBeVisible();
  await delegate.goto(motionUrl);
  await waitForHydration(delegate);
  await expect(delegate.locator(".live").getByText("En direct")).toBeVisible();
  const president = await signedInPage(browser, chair);
  await president.goto(motionUrl);
  await waitForHydration(president);
  await president.getByRole("button", { name: "Mettre en débat" }).nth(3).click();
  await expect(president.getByText("Le point en débat a été changé.")).toBeVisible();
  const debated = delegate.locator(".paragraph--debated");
  await expect(debated).toContainText("Affirme que les données publiques sont un bien commun.");
  await expect(debated.getByText("En débat")).toBeVisible();
  await expectNoAccessibilityViolations(delegate);

  // The organizer makes a projector link; the hall's screen opens it without signing in and follows the debate.
  await org.goto("/organisation");
  await waitForHydration(org);
  await org
    .getByRole("listitem")
    .filter({ hasText: title })
    .getByRole("button", { name: "Lien pour le projecteur" })
    .click();
  const link = org.getByRole("link", { name: /\/projection\// });
  await expect(link).toBeVisible();
  const projectorPath = await link.getAttribute("href");
  const screen = await (await browser.newContext({ locale: "fr-FR" })).newPage();
  await screen.goto(projectorPath ?? "/");
  await expect(screen.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(screen.getByText("En débat : paragraphe 4")).toBeVisible();
  await waitForHydration(screen);
  await expect(screen.locator(".live").getByText("En direct")).toBeVisible();
  await expectNoAccessibilityViolations(screen);
  await president.getByRole("button", { name: "Mettre en débat" }).first().click();
  await expect(screen.getByText("En débat : paragraphe 1")).toBeVisible();
});

