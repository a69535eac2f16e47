//! A game-style entity pool: entities spawn and despawn, refer to each other
//! by `Handle`, and a handle to a despawned entity is found out instead of
//! silently reaching whatever took its slot.
//!
//! Run it with `cargo run -p arena-pool --example entities`.

use arena_pool::{GetDisjointMutError, Handle, Pool};

struct Entity {
    name: &'static str,
    hp: i32,
    attack: i32,
    /// Who this entity attacks: a handle, not a reference, so the pool stays
    /// free to change while entities point at each other.
    target: Option<Handle<Entity>>,
}

impl Entity {
    fn new(name: &'static str, hp: i32, attack: i32, target: Option<Handle<Entity>>) -> Self {
        Self {
            name,
            hp,
            attack,
            target,
        }
    }
}

/// The first living goblin, if any.
fn next_goblin(world: &Pool<Entity>) -> Option<Handle<Entity>> {
    world
        .iter()
        .find(|(_, e)| e.name.starts_with("goblin") && e.hp > 0)
        .map(|(handle, _)| handle)
}

fn main() {
    let mut world = Pool::new();
    let hero = world.insert(Entity::new("hero", 30, 7, None));
    let goblins = ["goblin A", "goblin B", "goblin C"]
        .map(|name| world.insert(Entity::new(name, 10, 2, Some(hero))));
    world[hero].target = Some(goblins[0]);
    // Somewhere else in the game, a quest keeps a handle of its own.
    let quest = goblins[0];
    println!("spawned: hero {hero:?}, goblins {goblins:?}");

    for turn in 1.. {
        println!("-- turn {turn}");
        let everyone: Vec<Handle<Entity>> = world.iter().map(|(handle, _)| handle).collect();
        for attacker in everyone {
            let Some(target) = world
                .get(attacker)
                .filter(|e| e.hp > 0)
                .and_then(|e| e.target)
            else {
                continue;
            };
            // Both entities at once, mutably: the pool checks they differ and
            // that both handles are live.
            match world.get_disjoint_mut([attacker, target]) {
                Ok([a, t]) => {
                    t.hp -= a.attack;
                    println!(
                        "{} hits {} for {}: {} hp left",
                        a.name, t.name, a.attack, t.hp
                    );
                }
                Err(GetDisjointMutError::Stale { .. }) => {
                    let retarget = next_goblin(&world);
                    let a = &mut world[attacker];
                    println!(
                        "{}'s target {target:?} is stale: that entity despawned; new target {retarget:?}",
                        a.name
                    );
                    a.target = retarget;
                }
                Err(other) => println!("{other:?}"),
            }
        }

        world.retain(|handle, e| {
            let alive = e.hp > 0;
            if !alive {
                println!("{} despawns, freeing slot {}", e.name, handle.index());
            }
            alive
        });

        if turn == 2 {
            // The freed slot is reused at once, under a new generation.
            let chest = world.insert(Entity::new("chest", 1, 0, None));
            println!("a chest spawns as {chest:?}, in the slot of {quest:?}");
        }
        if next_goblin(&world).is_none() || world.get(hero).is_none() {
            break;
        }
    }

    // The quest's handle finds nothing, rather than the chest in its slot.
    match world.get(quest) {
        Some(e) => println!("quest target still around: {}", e.name),
        None => println!(
            "quest complete: {quest:?} reaches nothing (slot {} holds {})",
            quest.index(),
            world
                .iter()
                .find(|(h, _)| h.index() == quest.index())
                .map_or("nothing", |(_, e)| e.name)
        ),
    }
    let survivors: Vec<String> = world
        .iter()
        .map(|(handle, e)| format!("{} {handle:?} ({} hp)", e.name, e.hp))
        .collect();
    println!("{} entities left: {}", world.len(), survivors.join(", "));
}
