//! `serde` support: handles, and pools that keep every handle valid across
//! a round trip.
//!
//! A pool is written as a struct `{ bound, slots }`: `bound` is the slot
//! limit of a bounded pool (`None` for a growing one) and `slots` lists
//! every slot as `[version]` when vacant or `[version, value]` when it holds
//! a value. Slot versions are kept, so handles given out before
//! serialisation reach the same values after, and stale handles stay stale.
//!
//! Reading never trusts the input: memory grows with the slots actually
//! read (a bound is a limit, not an allocation), and every inconsistency is
//! an error naming it: a version of the wrong parity for the slot's shape,
//! `u32::MAX`, a slot of the wrong length, more slots than the bound, or a
//! bound above `u32::MAX`.

use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use ::serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use ::serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};

use super::slot::Slot;
use super::{DensePool, FixedPool, Handle, Key, MAX_SLOTS, Pool, generation};

/// Handles are written as a pair `(index, generation)`.
impl<T> Serialize for Handle<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.raw_index(), self.generation()).serialize(serializer)
    }
}

/// Reads the pair [`Serialize`] writes; an even generation (zero included)
/// is an error, as no pool gives one out.
///
/// ```
/// use arena_pool::{Handle, Pool};
///
/// let mut pool = Pool::new();
/// let h = pool.insert(1);
/// let json = serde_json::to_string(&h).unwrap();
/// assert_eq!(json, "[0,1]");
/// let back: Handle<i32> = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, h);
/// assert!(serde_json::from_str::<Handle<i32>>("[0,0]").is_err());
/// assert!(serde_json::from_str::<Handle<i32>>("[0,2]").is_err());
/// ```
impl<'de, T> Deserialize<'de> for Handle<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (index, generation) = <(u32, u32)>::deserialize(deserializer)?;
        Self::from_bits((u64::from(generation) << 32) | u64::from(index))
            .ok_or_else(|| de::Error::custom("a handle's generation must be odd"))
    }
}

/// One slot, written as `[version]` or `[version, value]`.
struct SlotRef<'a, T>(u32, Option<&'a T>);

impl<T: Serialize> Serialize for SlotRef<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.1;
        let mut seq = serializer.serialize_seq(Some(1 + usize::from(value.is_some())))?;
        seq.serialize_element(&self.0)?;
        if let Some(value) = value {
            seq.serialize_element(value)?;
        }
        seq.end()
    }
}

/// All slots with their versions, as a sequence.
struct SlotsRef<'a, T>(&'a [Slot<T>], &'a [u32]);

impl<T: Serialize> Serialize for SlotsRef<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .iter()
                .zip(self.1)
                .map(|(slot, &version)| SlotRef(version, slot.value())),
        )
    }
}

fn serialize_pool<S: Serializer, T: Serialize>(
    serializer: S,
    bound: Option<usize>,
    (slots, versions): (&[Slot<T>], Vec<u32>),
) -> Result<S::Ok, S::Error> {
    let mut state = serializer.serialize_struct("Pool", 2)?;
    state.serialize_field("bound", &bound)?;
    state.serialize_field("slots", &SlotsRef(slots, &versions))?;
    state.end()
}

/// A slot being read.
struct SlotDe<T>(Slot<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for SlotDe<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SlotVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for SlotVisitor<T> {
            type Value = SlotDe<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a pool slot: [even version] or [odd version, value]")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let version: u32 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                if !generation::is_valid(version) {
                    return Err(de::Error::custom(
                        "slot version u32::MAX is past retirement and never used",
                    ));
                }
                let slot = if generation::is_occupied(version) {
                    let value: T = seq.next_element()?.ok_or_else(|| {
                        de::Error::custom("a slot with an odd version must hold a value")
                    })?;
                    Slot::occupied_at(version, value)
                        .map_err(|_| de::Error::custom("invalid occupied slot version"))?
                } else {
                    Slot::vacant_at(version)
                        .ok_or_else(|| de::Error::custom("invalid vacant slot version"))?
                };
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::custom(if slot.is_occupied() {
                        "a pool slot has at most two elements"
                    } else {
                        "a slot with an even version is vacant and holds no value"
                    }));
                }
                Ok(SlotDe(slot))
            }
        }

        deserializer.deserialize_seq(SlotVisitor(PhantomData))
    }
}

/// The serialised form of a pool, being read.
struct PoolDe<T> {
    bound: Option<usize>,
    slots: Vec<Slot<T>>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PoolDe<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(::serde::Deserialize)]
        #[serde(field_identifier, rename_all = "lowercase")]
        enum Field {
            Bound,
            Slots,
        }

        struct PoolVisitor<T>(PhantomData<T>);

        impl<T> PoolVisitor<T> {
            fn finish<E: de::Error>(
                bound: Option<Option<u64>>,
                slots: Option<Vec<SlotDe<T>>>,
            ) -> Result<PoolDe<T>, E> {
                // Read as a u64, so that a bound no pool can have gets the
                // same message on every pointer width.
                let bound: Option<u64> = bound.ok_or_else(|| de::Error::missing_field("bound"))?;
                let slots = slots.ok_or_else(|| de::Error::missing_field("slots"))?;
                let bound = match bound {
                    Some(bound) => match usize::try_from(bound) {
                        Ok(bound) if bound <= MAX_SLOTS => Some(bound),
                        _ => {
                            return Err(de::Error::custom(format_args!(
                                "pool bound {bound} is above the most slots a pool has ({MAX_SLOTS})"
                            )));
                        }
                    },
                    None => None,
                };
                if let Some(bound) = bound {
                    if slots.len() > bound {
                        return Err(de::Error::custom(format_args!(
                            "pool bound {bound} is below its {} slots",
                            slots.len()
                        )));
                    }
                } else if slots.len() > MAX_SLOTS {
                    return Err(de::Error::custom("more slots than a pool has"));
                }
                Ok(PoolDe {
                    bound,
                    slots: slots.into_iter().map(|slot| slot.0).collect(),
                })
            }
        }

        impl<'de, T: Deserialize<'de>> Visitor<'de> for PoolVisitor<T> {
            type Value = PoolDe<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a pool: { bound, slots }")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let bound = seq.next_element()?;
                let slots = seq.next_element()?;
                Self::finish(bound, slots)
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut bound = None;
                let mut slots = None;
                while let Some(field) = map.next_key()? {
                    match field {
                        Field::Bound if bound.is_none() => bound = Some(map.next_value()?),
                        Field::Slots if slots.is_none() => slots = Some(map.next_value()?),
                        Field::Bound => return Err(de::Error::duplicate_field("bound")),
                        Field::Slots => return Err(de::Error::duplicate_field("slots")),
                    }
                }
                Self::finish(bound, slots)
            }
        }

        deserializer.deserialize_struct("Pool", &["bound", "slots"], PoolVisitor(PhantomData))
    }
}

/// Writes every slot with its version, so handles stay valid. A free slot's
/// version is kept by the free list, so writing a pool gathers the
/// versions first, in a buffer of 4 bytes per slot.
///
/// ```
/// use arena_pool::Pool;
///
/// let mut pool = Pool::new();
/// let a = pool.insert(String::from("a"));
/// let b = pool.insert(String::from("b"));
/// pool.remove(a);
/// let json = serde_json::to_string(&pool).unwrap();
/// assert_eq!(json, r#"{"bound":null,"slots":[[2],[1,"b"]]}"#);
/// let back: Pool<String> = serde_json::from_str(&json).unwrap();
/// assert_eq!(back[b], "b");
/// assert_eq!(back.get(a), None);
/// ```
impl<T: Serialize, K: Key> Serialize for Pool<T, K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (bound, slots) = self.parts();
        serialize_pool(serializer, bound, slots)
    }
}

/// Reads what [`Serialize`] wrote: the same slots and versions, so handles
/// reach the same values. A bounded pool comes back bounded; it allocates
/// only the slots read and grows, up to its bound, as values come.
/// Inconsistent input is an error, and no number in the input sizes an
/// allocation.
///
/// ```
/// use arena_pool::Pool;
///
/// let mut pool = Pool::bounded(4);
/// let h = pool.insert(10u8);
/// let json = serde_json::to_string(&pool).unwrap();
/// let back: Pool<u8> = serde_json::from_str(&json).unwrap();
/// assert_eq!(back[h], 10);
/// assert!(back.is_bounded());
/// assert!(serde_json::from_str::<Pool<u8>>(r#"{"bound":null,"slots":[[1]]}"#).is_err());
/// let huge: Pool<u64> = serde_json::from_str(r#"{"bound":4294967295,"slots":[]}"#).unwrap();
/// assert_eq!(huge.capacity(), 0);
/// ```
impl<'de, T: Deserialize<'de>, K: Key> Deserialize<'de> for Pool<T, K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let PoolDe { bound, slots } = PoolDe::deserialize(deserializer)?;
        Self::from_slots(slots, bound).map_err(de::Error::custom)
    }
}

/// Written like a bounded [`Pool`] of `N` slots (only the slots ever used).
///
/// ```
/// use arena_pool::FixedPool;
///
/// let mut pool: FixedPool<u8, 8> = FixedPool::new();
/// pool.insert(3);
/// let json = serde_json::to_string(&pool).unwrap();
/// assert_eq!(json, r#"{"bound":8,"slots":[[1,3]]}"#);
/// ```
impl<T: Serialize, const N: usize, K: Key> Serialize for FixedPool<T, N, K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_pool(serializer, Some(N), self.used_slots())
    }
}

/// Reads any serialised pool whose slots fit in `N`.
///
/// ```
/// use arena_pool::{FixedPool, Pool};
///
/// let mut pool = Pool::new();
/// let h = pool.insert(7u8);
/// let json = serde_json::to_string(&pool).unwrap();
/// let fixed: FixedPool<u8, 4> = serde_json::from_str(&json).unwrap();
/// assert_eq!(fixed[h], 7);
/// assert!(serde_json::from_str::<FixedPool<u8, 0>>(&json).is_err());
/// ```
impl<'de, T: Deserialize<'de>, const N: usize, K: Key> Deserialize<'de> for FixedPool<T, N, K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let PoolDe { slots, .. } = PoolDe::deserialize(deserializer)?;
        Self::from_slots(slots).map_err(de::Error::custom)
    }
}

/// The slots of a dense pool and their versions, each written with its
/// value as a [`Pool`]'s slot is.
struct DenseSlotsRef<'a, T>(&'a [Slot<u32>], &'a [u32], &'a [T]);

impl<T: Serialize> Serialize for DenseSlotsRef<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let values = self.2;
        serializer.collect_seq(self.0.iter().zip(self.1).map(|(slot, &version)| {
            let value = slot
                .value()
                .and_then(|&position| values.get(position as usize));
            SlotRef(version, value)
        }))
    }
}

/// Written exactly as a growing [`Pool`] with the same handles is, so
/// either reads what the other wrote.
///
/// ```
/// use arena_pool::{DensePool, Pool};
///
/// let mut dense = DensePool::new();
/// let a = dense.insert('a');
/// let b = dense.insert('b');
/// dense.remove(a);
/// let json = serde_json::to_string(&dense).unwrap();
/// assert_eq!(json, r#"{"bound":null,"slots":[[2],[1,"b"]]}"#);
/// let pool: Pool<char> = serde_json::from_str(&json).unwrap();
/// assert_eq!(pool[b], 'b');
/// ```
impl<T: Serialize, K: Key> Serialize for DensePool<T, K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Pool", 2)?;
        state.serialize_field("bound", &None::<usize>)?;
        let (slots, versions) = self.slot_positions();
        state.serialize_field("slots", &DenseSlotsRef(slots, &versions, self.as_slice()))?;
        state.end()
    }
}

/// Reads any serialised pool (a bound is ignored: a dense pool grows), with
/// the same checks as [`Pool`]'s: handles reach the same values, and no
/// number in the input sizes an allocation.
///
/// ```
/// use arena_pool::{DensePool, Pool};
///
/// let mut pool = Pool::new();
/// let h = pool.insert(7u8);
/// let json = serde_json::to_string(&pool).unwrap();
/// let dense: DensePool<u8> = serde_json::from_str(&json).unwrap();
/// assert_eq!(dense[h], 7);
/// assert!(serde_json::from_str::<DensePool<u8>>(r#"{"bound":null,"slots":[[2,5]]}"#).is_err());
/// ```
impl<'de, T: Deserialize<'de>, K: Key> Deserialize<'de> for DensePool<T, K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let PoolDe { slots, .. } = PoolDe::<T>::deserialize(deserializer)?;
        let mut values = Vec::new();
        let mut positions = Vec::with_capacity(slots.len());
        for slot in slots {
            let Some(version) = slot.own_version() else {
                return Err(de::Error::custom("invalid slot version"));
            };
            let place = match slot.into_value() {
                Some(value) => {
                    let position = u32::try_from(values.len())
                        .map_err(|_| de::Error::custom("more values than a pool has"))?;
                    values.push(value);
                    Slot::occupied_at(version, position).ok()
                }
                None => Slot::vacant_at(version),
            };
            positions.push(place.ok_or_else(|| de::Error::custom("invalid slot version"))?);
        }
        Self::from_parts(positions, values).map_err(de::Error::custom)
    }
}
