//! The demo congress: an edition and a motion of twelve paragraphs in three sections, written for the demo.
//! Seeding is idempotent (keyed by the edition's slug) and goes through the same log as every other change.

use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::{
    identity::{members, secrets},
    store::{
        StoreError,
        entities::{edition, member, motion, paragraph, paragraph_version, section},
        log::{self, NewEvent},
    },
};
use domain::{
    member::{MemberStatus, Role},
    motion::Phase,
    registration::{MandateFunction, Registration},
    text::normalize,
};

/// The demo edition's slug: seeding twice finds it and changes nothing.
pub const DEMO_EDITION_SLUG: &str = "congres-2026-paris";

/// Co-signatories an amendment of the demo motion needs before it can be declared admissible.
pub const DEMO_MIN_COSIGNERS: u32 = 1;

const EDITION_TITLE: &str = "6e Congrès national des élu·es au numérique";
const MOTION_TITLE: &str = "Motion 2026 : un numérique public proche des habitants";
const PREAMBLE: &str = "Réuni·es à Paris, les élu·es locaux en charge du numérique adoptent la présente motion et la \
remettent au Gouvernement. Elle dit ce que vivent les communes et ce qu’elles demandent.";

const SECTIONS: [(&str, [&str; 4]); 3] = [
    (
        "Inclusion numérique : n’oublier personne",
        [
            "Des millions de personnes renoncent à une démarche parce qu’elle n’existe plus qu’en ligne. Les \
             communes le constatent chaque jour à leurs guichets : l’inclusion numérique n’est pas un supplément, \
             c’est une condition de l’égalité devant le service public.",
            "Nous demandons qu’aucune démarche administrative essentielle ne soit accessible uniquement en ligne, \
             et qu’un accueil physique ou téléphonique, tenu par des personnes, reste garanti partout sur le \
             territoire.",
            "Les médiatrices et médiateurs numériques accompagnent chaque année des centaines de milliers \
             d’habitants. Leur financement doit devenir pérenne et pluriannuel, au lieu de dépendre d’appels à \
             projets renouvelés d’une année sur l’autre.",
            "Les services publics numériques de l’État doivent respecter le référentiel général d’amélioration de \
             l’accessibilité (RGAA) dès leur conception, et publier leur taux de conformité réel.",
        ],
    ),
    (
        "La mairie, premier lieu d’accès aux services publics",
        [
            "Quand une démarche échoue, c’est à la mairie que l’on vient demander de l’aide. Les agents d’accueil \
             font ce travail sans formation dédiée ni reconnaissance : ce rôle doit être reconnu et compensé.",
            "Nous demandons un droit d’accès des communes aux outils de suivi des démarches de l’État, afin que les \
             agents d’accueil puissent aider un habitant sans lui demander ses mots de passe.",
            "Les espaces France services doivent être implantés en concertation avec les maires, au plus près des \
             habitants, et leurs horaires adaptés à ceux qui travaillent.",
            "Toute réforme d’un service public numérique national doit faire l’objet d’une étude d’impact sur \
             l’accueil en mairie, conduite avec les associations d’élu·es avant sa mise en œuvre.",
        ],
    ),
    (
        "Mutualiser entre communes sans déposséder les communes",
        [
            "La mutualisation des outils et des compétences entre communes et intercommunalités permet aux petites \
             équipes d’accéder à des services qu’elles ne pourraient pas porter seules.",
            "Mutualiser ne doit jamais signifier décider à la place des communes : chaque commune garde la maîtrise \
             de ses données, de ses choix de services et de sa relation avec ses habitants.",
            "Nous demandons un fonds national de soutien à la cybersécurité des collectivités, ouvert en priorité \
             aux communes de moins de 20 000 habitants et à leurs groupements.",
            "Les logiciels financés par l’argent public doivent être publiés sous licence libre et leurs données \
             ouvertes par défaut, afin que chaque collectivité puisse les réutiliser.",
        ],
    ),
];

/// What seeding did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSummary {
    pub motion_id: i32,
    /// `false` when the demo congress was already there.
    pub created: bool,
}

/// Creates the demo congress unless it exists; every paragraph is recorded in the motion's log.
///
/// # Errors
/// `Db` when the database fails; nothing is half-written (one transaction).
pub async fn seed(db: &DatabaseConnection, now: i64) -> Result<DemoSummary, StoreError> {
    if let Some(existing) = edition::Entity::find()
        .filter(edition::Column::Slug.eq(DEMO_EDITION_SLUG))
        .one(db)
        .await?
    {
        let motion = motion::Entity::find()
            .filter(motion::Column::EditionId.eq(existing.id))
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)?;
        return Ok(DemoSummary {
            motion_id: motion.id,
            created: false,
        });
    }

    let txn = crate::ssr::store::begin_write(db).await?;
    let edition = edition::ActiveModel {
        slug: Set(DEMO_EDITION_SLUG.to_owned()),
        title: Set(EDITION_TITLE.to_owned()),
        place: Set("Paris".to_owned()),
        starts_on: Set("2026-12-10".to_owned()),
        ends_on: Set("2026-12-10".to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| StoreError::from_write(err, "editions_slug"))?;

    let motion = motion::ActiveModel {
        edition_id: Set(edition.id),
        title: Set(normalize(MOTION_TITLE)),
        preamble: Set(normalize(PREAMBLE)),
        phase: Set(Phase::Amending.code().to_owned()),
        line_width: Set(i32::try_from(domain::lines::DEFAULT_LINE_WIDTH).unwrap_or(80)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    log::append(
        &txn,
        motion.id,
        NewEvent {
            kind: "motion_created",
            actor_id: None,
            occurred_at: now,
            payload: json!({
                "edition": edition.slug,
                "title": motion.title,
                "preamble": motion.preamble,
                "phase": Phase::Draft.code(),
                "line_width": motion.line_width,
                "min_cosigners": DEMO_MIN_COSIGNERS,
            }),
        },
    )
    .await?;

    let mut paragraph_position = 0;
    for (section_position, (title, texts)) in (1..).zip(SECTIONS) {
        let section = section::ActiveModel {
            motion_id: Set(motion.id),
            position: Set(section_position),
            title: Set(normalize(title)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        log::append(
            &txn,
            motion.id,
            NewEvent {
                kind: "section_added",
                actor_id: None,
                occurred_at: now,
                payload: json!({ "section": section.id, "position": section.position, "title": section.title }),
            },
        )
        .await?;
        for text in texts {
            paragraph_position += 1;
            let body = normalize(text);
            let paragraph = paragraph::ActiveModel {
                motion_id: Set(motion.id),
                section_id: Set(section.id),
                position: Set(paragraph_position),
                current_version: Set(1),
                deleted: Set(false),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            let seq = log::append(
                &txn,
                motion.id,
                NewEvent {
                    kind: "paragraph_added",
                    actor_id: None,
                    occurred_at: now,
                    payload: json!({
                        "paragraph": paragraph.id,
                        "section": section.id,
                        "position": paragraph.position,
                        "version": 1,
                        "text": body,
                    }),
                },
            )
            .await?;
            paragraph_version::ActiveModel {
                paragraph_id: Set(paragraph.id),
                number: Set(1),
                body: Set(body),
                reason: Set("initial".to_owned()),
                reason_detail: Set(None),
                event_seq: Set(seq),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    log::append(
        &txn,
        motion.id,
        NewEvent {
            kind: "phase_changed",
            actor_id: None,
            occurred_at: now,
            payload: json!({ "from": Phase::Draft.code(), "to": Phase::Amending.code() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(DemoSummary {
        motion_id: motion.id,
        created: true,
    })
}

/// A demo account: who it is and how to sign in with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAccount {
    pub role: Role,
    pub name: String,
    pub email: &'static str,
    pub password: &'static str,
}

/// One demo person. Demo only: the passwords are printed at every start, so that anyone trying the demo can
/// sign in with each role.
struct AccountSeed {
    role: Role,
    given: &'static str,
    usual: &'static str,
    email: &'static str,
    function: MandateFunction,
    collectivity: &'static str,
    code: &'static str,
    password: &'static str,
}

const ACCOUNTS: [AccountSeed; 7] = [
    AccountSeed {
        role: Role::Organizer,
        given: "Claire",
        usual: "Fontaine",
        email: "claire.fontaine@congres-demo.fr",
        function: MandateFunction::Autre,
        collectivity: "Association des villes numériques",
        code: "75056",
        password: "demo-organisation-2026",
    },
    AccountSeed {
        role: Role::Chair,
        given: "Bernard",
        usual: "Lemoine",
        email: "bernard.lemoine@congres-demo.fr",
        function: MandateFunction::Maire,
        collectivity: "Saint-Ferréol-des-Côtes",
        code: "63342",
        password: "demo-presidence-2026",
    },
    AccountSeed {
        role: Role::Delegate,
        given: "Amélie",
        usual: "Rousseau",
        email: "amelie.rousseau@congres-demo.fr",
        function: MandateFunction::Adjoint,
        collectivity: "Villeneuve-sur-Lot",
        code: "47323",
        password: "demo-deleguee-2026",
    },
    AccountSeed {
        role: Role::Delegate,
        given: "Karim",
        usual: "Benali",
        email: "karim.benali@congres-demo.fr",
        function: MandateFunction::ConseillerMunicipal,
        collectivity: "Roubaix",
        code: "59512",
        password: "demo-delegue-2026",
    },
    AccountSeed {
        role: Role::Delegate,
        given: "Sophie",
        usual: "Marchand",
        email: "sophie.marchand@congres-demo.fr",
        function: MandateFunction::Maire,
        collectivity: "Plougastel-Daoulas",
        code: "29189",
        password: "demo-maire-2026",
    },
    AccountSeed {
        role: Role::Delegate,
        given: "Jean-Luc",
        usual: "Perrin",
        email: "jean-luc.perrin@congres-demo.fr",
        function: MandateFunction::VicePresidentIntercommunalite,
        collectivity: "Communauté de communes du Pays de Gex",
        code: "200070183",
        password: "demo-intercommunalite-2026",
    },
    AccountSeed {
        role: Role::Observer,
        given: "Inès",
        usual: "Garnier",
        email: "ines.garnier@congres-demo.fr",
        function: MandateFunction::Autre,
        collectivity: "Mairie de Roubaix (agente)",
        code: "59512",
        password: "demo-observation-2026",
    },
];

/// Creates the demo accounts (idempotent: existing accounts keep their password) and returns them.
///
/// # Errors
/// `Db` when the database fails.
pub async fn seed_accounts(
    db: &DatabaseConnection,
    now: i64,
) -> Result<Vec<DemoAccount>, StoreError> {
    let edition = edition::Entity::find()
        .filter(edition::Column::Slug.eq(DEMO_EDITION_SLUG))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut accounts = Vec::new();
    for AccountSeed {
        role,
        given,
        usual,
        email,
        function,
        collectivity,
        code,
        password,
    } in ACCOUNTS
    {
        let registration = Registration {
            given_name: given.to_owned(),
            usual_name: usual.to_owned(),
            email: email.to_owned(),
            phone: None,
            function,
            collectivity: collectivity.to_owned(),
            collectivity_code: code.to_owned(),
        };
        let (member_id, _) = members::upsert_membership(
            db,
            edition.id,
            &registration,
            role,
            MemberStatus::Verified,
            now,
        )
        .await?;
        let has_password = member::Entity::find_by_id(member_id)
            .one(db)
            .await?
            .is_some_and(|m| m.password_hash.is_some());
        if !has_password {
            let hash = secrets::hash_password(password)
                .map_err(|err| StoreError::Db(sea_orm::DbErr::Custom(format!("hashing: {err}"))))?;
            members::set_password_hash(db, member_id, hash).await?;
        }
        accounts.push(DemoAccount {
            role,
            name: format!("{given} {usual}"),
            email,
            password,
        });
    }
    Ok(accounts)
}
