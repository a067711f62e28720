//! Storage on both engines: migrations, the demo seed, the hash-chained log under concurrency.

use app::ssr::{
    demo,
    store::{
        self, StoreError,
        entities::{motion_event, paragraph},
        log::{self, NewEvent},
    },
};
use domain::log::{ChainLink, verify_chain};
use migration::{Migrator, MigratorTrait, SchemaManager};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use serde_json::json;

use crate::support::{BOTH, SEED_TIME, TestDb};

async fn chain_of(db: &sea_orm::DatabaseConnection, motion: i32) -> Vec<ChainLink> {
    motion_event::Entity::find()
        .filter(motion_event::Column::MotionId.eq(motion))
        .order_by_asc(motion_event::Column::Seq)
        .all(db)
        .await
        .expect("events load")
        .into_iter()
        .map(|e| ChainLink {
            seq: e.seq.unsigned_abs(),
            canonical: log::canonical_envelope(
                &e.kind,
                e.actor_id,
                e.occurred_at,
                &serde_json::from_str(&e.payload).expect("payload is JSON"),
            ),
            prev_hash: e.prev_hash,
            hash: e.hash,
        })
        .collect()
}

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    for backend in BOTH {
        let database = TestDb::new(backend).await;
        let db = store::open(&database.url)
            .await
            .expect("opens and migrates");
        let schema = SchemaManager::new(&db);
        assert!(
            schema.has_table("motion_events").await.expect("query"),
            "{backend:?}"
        );
        Migrator::down(&db, None).await.expect("down");
        for table in [
            "editions",
            "motions",
            "sections",
            "paragraphs",
            "paragraph_versions",
            "motion_events",
        ] {
            assert!(
                !schema.has_table(table).await.expect("query"),
                "{backend:?}: {table} left behind"
            );
        }
        Migrator::up(&db, None).await.expect("up again");
        assert!(
            schema.has_table("paragraphs").await.expect("query"),
            "{backend:?}"
        );
        db.close().await.ok();
    }
}

#[tokio::test]
async fn the_demo_seed_is_idempotent_and_recorded_in_a_valid_chain() {
    for backend in BOTH {
        let database = TestDb::new(backend).await;
        let db = store::open(&database.url).await.expect("opens");
        let first = demo::seed(&db, SEED_TIME).await.expect("seeds");
        assert!(first.created);
        let again = demo::seed(&db, SEED_TIME + 1).await.expect("seeds again");
        assert!(!again.created);
        assert_eq!(again.motion_id, first.motion_id);
        let paragraphs = paragraph::Entity::find().count(&db).await.expect("count");
        assert_eq!(paragraphs, 12, "{backend:?}");
        let chain = chain_of(&db, first.motion_id).await;
        // motion created, 3 sections, 12 paragraphs, phase opened to amendments.
        assert_eq!(chain.len(), 17, "{backend:?}");
        assert_eq!(chain.first().map(|l| l.seq), Some(1));
        verify_chain(&chain).expect("the seeded chain verifies");
        db.close().await.ok();
    }
}

#[tokio::test]
async fn concurrent_appends_never_share_a_seq_and_keep_the_chain_valid() {
    for backend in BOTH {
        let database = TestDb::new(backend).await;
        let db = store::open(&database.url).await.expect("opens");
        let motion = demo::seed(&db, SEED_TIME).await.expect("seeds").motion_id;
        let writers = (0..12).map(|writer| {
            let db = db.clone();
            tokio::spawn(async move {
                for attempt in 0..200 {
                    let result = async {
                        let txn = db.begin().await?;
                        let seq = log::append(
                            &txn,
                            motion,
                            NewEvent {
                                kind: "test_note",
                                actor_id: None,
                                occurred_at: SEED_TIME,
                                payload: json!({ "writer": writer }),
                            },
                        )
                        .await?;
                        txn.commit().await?;
                        Ok::<_, StoreError>(seq)
                    }
                    .await;
                    match result {
                        Ok(seq) => return seq,
                        // A lost race (same seq taken, or SQLite busy): try again, as the command path does.
                        Err(_) if attempt < 199 => {
                            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                        }
                        Err(err) => panic!("writer {writer} gave up: {err}"),
                    }
                }
                unreachable!("the loop returns or panics")
            })
        });
        let mut seqs = Vec::new();
        for writer in writers {
            seqs.push(writer.await.expect("writer finished"));
        }
        seqs.sort_unstable();
        assert_eq!(
            seqs,
            (18..30).collect::<Vec<i64>>(),
            "{backend:?}: gapless and unique"
        );
        let chain = chain_of(&db, motion).await;
        assert_eq!(chain.len(), 29);
        verify_chain(&chain).expect("the chain verifies after concurrent appends");
        db.close().await.ok();
    }
}
