//! Every migration has a working down: up → down → up on both backends.

use crate::both_backends;
use crate::helpers::*;
use aftercare::db::migrate;

both_backends!(migrations_go_up_down_and_up_again, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    env.user("clerk1", "clerk");
    let mut c = env.conn();
    let reverted = migrate::revert_all(&mut c).expect("down");
    assert!(reverted >= 1);
    let applied = migrate::run_pending(&mut c).expect("up again");
    assert_eq!(applied.len(), reverted);
    assert!(migrate::run_pending(&mut c)
        .expect("nothing pending")
        .is_empty());
});
