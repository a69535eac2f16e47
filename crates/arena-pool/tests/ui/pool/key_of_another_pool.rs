// Two pools of the same value type, keyed by two declared handle types:
// a handle of one is refused by the other.
use arena_pool::{FixedPool, Pool, SecondaryPool};

arena_pool::new_key_type! {
    struct PlayerId;
    struct TeamId;
}

fn main() {
    let mut players: Pool<String, PlayerId> = Pool::with_key();
    let teams: Pool<String, TeamId> = Pool::with_key();
    let ada = players.insert("Ada".into());
    let _ = teams.get(ada);

    let fixed: FixedPool<String, 4, TeamId> = FixedPool::with_key();
    let _ = fixed.contains(ada);

    let plain: Pool<String> = Pool::new();
    let _ = plain.get(ada);

    let scores: SecondaryPool<String, u32, TeamId> = SecondaryPool::with_key();
    let _ = scores.get(ada);
}
