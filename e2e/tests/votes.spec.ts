// Votes (issue #6): the chair opens a ballot on an admissible amendment, two delegates vote from their own
// browsers, the chair sees the turnout live and closes; the result and the merged text reach the delegates'
// pages without reload. Uses a motion of its own, so it runs after the other journeys on the same server.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020";
import { expect, test } from "@playwright/test";
import { expectNoAccessibilityViolations, signedInPage, waitForHydration } from "./helpers";

const organizer = { email: "claire.fontaine@congres-demo.fr", password: "demo-organisation-2026" };
const amelie = { email: "amelie.rousseau@congres-demo.fr", password: "demo-deleguee-2026" };
const karim = { email: "karim.benali@congres-demo.fr", password: "demo-delegue-2026" };
const chair = { email: "bernard.lemoine@congres-demo.fr", password: "demo-presidence-2026" };

const DRAFT = `Le congrès des élu·es au numérique,

# Les communes

Considérant que les communes sont le premier guichet du service public,

Demande un fonds dédié à l’inclusion numérique.`;

const AMENDED = "Demande un fonds pérenne consacré à l’inclusion numérique.";

// Shared with the final-vote journey below, which continues this congress.
const title = `Motion soumise au vote ${Date.now()}`;
let motionUrl = "";

test("un scrutin sur un amendement : vote de deux délégués, participation en direct, clôture et résultat", async ({
  browser,
}) => {
  test.setTimeout(180_000);

  // The organizer creates a motion and opens it to amendments.
  const org = await signedInPage(browser, organizer);
  await org.goto("/organisation");
  await waitForHydration(org);
  await org.getByLabel("Titre de la motion").fill(title);
  await org.getByLabel("Brouillon", { exact: true }).fill(DRAFT);
  await org.getByRole("button", { name: "Créer la motion" }).click();
  await expect(org.getByText("La motion a été créée, en phase de brouillon.")).toBeVisible();
  await org.getByRole("link", { name: "Ouvrir la motion" }).click();
  await expect(org.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  motionUrl = org.url();
  await org.goto(`${motionUrl}/amendements`);
  await waitForHydration(org);
  await org.getByLabel("Passer à la phase").selectOption({ label: "Amendements ouverts" });
  await org.getByRole("button", { name: "Changer de phase" }).click();
  await expect(org.getByText("Phase modifiée.")).toBeVisible();

  // A delegate amends the last paragraph; a second one co-signs; the organizer declares it admissible.
  const delegate = await signedInPage(browser, amelie);
  await delegate.goto(motionUrl);
  await delegate.getByRole("link", { name: "Amender ce paragraphe" }).last().click();
  await waitForHydration(delegate);
  await delegate.getByLabel("Texte proposé").fill(AMENDED);
  await delegate.getByRole("button", { name: "Déposer l’amendement" }).click();
  await expect(delegate.getByText(/Amendement n° 1 déposé\./)).toBeVisible();
  await delegate.getByRole("link", { name: "Inviter des cosignataires" }).click();
  await waitForHydration(delegate);
  await delegate.getByLabel("Délégué·e à inviter").selectOption({ label: "Karim Benali — Roubaix" });
  await delegate.getByRole("button", { name: "Inviter", exact: true }).click();
  await expect(delegate.getByText(/L’invitation a été envoyée/)).toBeVisible();
  const other = await signedInPage(browser, karim);
  await other.goto(`${motionUrl}/amendements`);
  await waitForHydration(other);
  await other.getByRole("button", { name: "Cosigner" }).first().click();
  await expect(other.getByText("Amendement cosigné.")).toBeVisible();
  await org.goto(`${motionUrl}/amendements`);
  await waitForHydration(org);
  await org.getByRole("button", { name: "Déclarer recevable" }).first().click();
  await expect(org.getByText("Amendement déclaré recevable.")).toBeVisible();
  await org.getByLabel("Passer à la phase").selectOption({ label: "Séance" });
  await org.getByRole("button", { name: "Changer de phase" }).click();
  await expect(org.getByText("Phase modifiée.")).toBeVisible();

  // Both delegates follow the motion live.
  for (const page of [delegate, other]) {
    await page.goto(motionUrl);
    await waitForHydration(page);
    await expect(page.locator(".live").getByText("En direct")).toBeVisible();
  }
  const loads: string[] = [];
  delegate.on("load", () => loads.push(delegate.url()));
  other.on("load", () => loads.push(other.url()));

  // The chair opens the ballot on the amendment, from the voting order, with the majority of votes cast.
  const president = await signedInPage(browser, chair);
  await president.goto(motionUrl);
  await president.getByRole("link", { name: "Scrutins" }).click();
  await expect(president.getByRole("heading", { name: "Scrutins", level: 1 })).toBeVisible();
  await waitForHydration(president);
  await expect(president.getByRole("group", { name: "Paragraphe 3" })).toBeVisible();
  const rules = president.locator("details.ballot-rules").first();
  await rules.locator("summary").click();
  await rules.getByLabel("Majorité requise").selectOption({ label: "majorité des suffrages exprimés" });
  await rules.getByLabel("Quorum").fill("");
  await expectNoAccessibilityViolations(president);
  await president.getByRole("button", { name: "Mettre aux voix l’amendement n° 1" }).click();
  await expect(president.getByText("Le scrutin est ouvert.")).toBeVisible();
  await expect(president.getByText(/Votants : 0 sur \d+/)).toBeVisible();
  await expect(president.locator(".live").getByText("En direct")).toBeVisible();

  // The ballot appears on the delegates' pages without reload; each votes and sees the confirmation.
  const own = (page: typeof delegate) => page.getByRole("group", { name: "Votre vote" });
  await expect(own(delegate).getByRole("button", { name: "Pour" })).toBeVisible();
  await expect(own(other).getByRole("button", { name: "Abstention" })).toBeVisible();
  await expectNoAccessibilityViolations(delegate);
  await own(delegate).getByRole("button", { name: "Pour" }).click();
  await expect(own(delegate).getByText(/Votre vote « pour » est enregistré à \d+/)).toBeVisible();
  await expect(own(delegate).getByRole("button", { name: "Pour" })).toHaveAttribute("aria-pressed", "true");
  await expect(president.getByText(/Votants : 1 sur \d+/)).toBeVisible();
  await own(other).getByRole("button", { name: "Abstention" }).click();
  await expect(own(other).getByText(/Votre vote « abstention » est enregistré à \d+/)).toBeVisible();
  await expect(president.getByText(/Votants : 2 sur \d+/)).toBeVisible();

  // The chair closes, deliberately: a first click only reveals the confirmation.
  await president.getByText("Clore le scrutin…").click();
  await president.getByRole("button", { name: "Confirmer la clôture du scrutin n° 1" }).click();
  await expect(president.getByText("Le scrutin est clos.")).toBeVisible();

  // The result and the merged paragraph reach the delegates' pages without reload.
  for (const page of [delegate, other]) {
    const last = page.locator(".vote-last");
    await expect(last.getByText("Adopté", { exact: true })).toBeVisible();
    await expect(last).toContainText("adopté");
    await expect(page.locator(".paragraph__text").last()).toContainText("pérenne consacré");
  }
  expect(loads, "the delegates' pages were never reloaded").toEqual([]);

  // The results page: figures and named votes, accessible.
  await delegate.locator(".vote-last").getByRole("link").click();
  await expect(delegate.getByRole("heading", { level: 1 })).toContainText("Scrutin n° 1");
  const figures = delegate.getByRole("table", { name: "Décompte des voix" });
  await expect(figures.getByRole("row", { name: /Pour/ })).toContainText("1");
  const votes = delegate.getByRole("table", { name: "Votes nominatifs" });
  await expect(votes.getByRole("row", { name: /Amélie Rousseau/ })).toContainText("Pour");
  await expect(votes.getByRole("row", { name: /Karim Benali/ })).toContainText("Abstention");
  await expectNoAccessibilityViolations(delegate);
});

// Export (issue #7): the final vote adopts the motion; anyone downloads the adopted text as PDF from the reader,
// the open data validates against its schema, and the organizer downloads the sealed dossier from the console.
test("le vote final adopte la motion : PDF public, données ouvertes conformes, dossier scellé", async ({ browser }) => {
  test.setTimeout(180_000);
  expect(motionUrl, "runs after the ballot journey").not.toEqual("");
  const president = await signedInPage(browser, chair);
  await president.goto(`${motionUrl}/scrutins`);
  await waitForHydration(president);
  const rules = president.locator("details.ballot-rules").last();
  await rules.locator("summary").click();
  await rules.getByLabel("Majorité requise").selectOption({ label: "majorité des suffrages exprimés" });
  await rules.getByLabel("Quorum").fill("");
  await president.getByRole("button", { name: "Vote final sur la motion" }).click();
  await expect(president.getByText("Le scrutin est ouvert.")).toBeVisible();
  for (const account of [amelie, karim]) {
    const voter = await signedInPage(browser, account);
    await voter.goto(motionUrl);
    await waitForHydration(voter);
    const own = voter.getByRole("group", { name: "Votre vote" });
    await own.getByRole("button", { name: "Pour" }).click();
    await expect(own.getByText(/Votre vote « pour » est enregistré à \d+/)).toBeVisible();
    await voter.context().close();
  }
  await president.getByText("Clore le scrutin…").click();
  await president.getByRole("button", { name: /Confirmer la clôture du scrutin n° \d+/ }).click();
  await expect(president.getByText("Le scrutin est clos.")).toBeVisible();

  // A visitor, not signed in, downloads the adopted motion from the reader.
  const visitorContext = await browser.newContext({ locale: "fr-FR", acceptDownloads: true });
  const visitor = await visitorContext.newPage();
  await visitor.goto(motionUrl);
  await waitForHydration(visitor);
  const links = visitor.getByRole("navigation", { name: "Télécharger la motion adoptée" });
  await expect(links).toBeVisible();
  await expectNoAccessibilityViolations(visitor);
  const [pdfDownload] = await Promise.all([
    visitor.waitForEvent("download"),
    links.getByRole("link", { name: "PDF" }).click(),
  ]);
  const pdfPath = await pdfDownload.path();
  const pdf = readFileSync(pdfPath);
  expect(pdf.subarray(0, 5).toString()).toEqual("%PDF-");
  const text = execFileSync("pdftotext", ["-layout", pdfPath, "-"]).toString();
  expect(text).toContain(title);
  expect(text).toContain("pérenne consacré");
  expect(text).toContain("Adoptée le");
  const fonts = execFileSync("pdffonts", [pdfPath]).toString().split("\n").slice(2).filter((l) => l.trim());
  expect(fonts.length).toBeGreaterThan(0);
  for (const line of fonts) expect(line, "every font embedded").toMatch(/\byes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/);

  // The open data validates against the published schema.
  const [jsonDownload] = await Promise.all([
    visitor.waitForEvent("download"),
    links.getByRole("link", { name: "données ouvertes (JSON)" }).click(),
  ]);
  const data = JSON.parse(readFileSync(await jsonDownload.path()).toString());
  const schema = JSON.parse(readFileSync("../app/dossier/open-data.schema.json").toString());
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
  expect(data.status.type).toEqual("final");
  await visitorContext.close();

  // The organizer downloads the sealed dossier from the console; `hemicycle verify-dossier` accepts it.
  const org = await signedInPage(browser, organizer);
  await org.goto("/organisation");
  await waitForHydration(org);
  const item = org.getByRole("listitem").filter({ has: org.getByRole("link", { name: title, exact: true }) });
  await expect(item.getByText("Dossier de remise (texte adopté) :")).toBeVisible();
  const [zipDownload] = await Promise.all([
    org.waitForEvent("download"),
    item.getByRole("link", { name: "dossier complet scellé (ZIP)" }).click(),
  ]);
  await expect(item.getByRole("status")).toContainText("Le document se prépare");
  const verdict = execFileSync(`../target/${process.env.E2E_PROFILE ?? "debug"}/hemicycle`, ["verify-dossier", await zipDownload.path()], {
    env: { ...process.env, DATABASE_URL: "sqlite:///nonexistent" },
  }).toString();
  expect(verdict).toContain("dossier intègre / dossier intact");
});
