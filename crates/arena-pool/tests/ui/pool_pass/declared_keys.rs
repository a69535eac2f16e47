// Pools keyed by declared handle types; `Pool::new()` still infers its
// default handle type from use alone.
use arena_pool::{DensePool, FixedPool, Handle, Key, Pool, SecondaryPool, SparseSecondaryPool};

arena_pool::new_key_type! {
    /// Documented, public, and private types in one invocation.
    pub struct NodeId;
    struct EdgeId;
}

fn assert_send_sync<T: Send + Sync>() {}

fn main() {
    let mut plain = Pool::new();
    let h = plain.insert(1u8);
    let _: Handle<u8> = h;

    let mut nodes: Pool<&str, NodeId> = Pool::with_key();
    let mut edges = FixedPool::<(NodeId, NodeId), 8, EdgeId>::with_key();
    let a = nodes.insert("a");
    let b = nodes.insert("b");
    let e: EdgeId = edges.insert((a, b));
    assert_eq!(edges[e], (a, b));
    let mut weights = SecondaryPool::<(NodeId, NodeId), f32, EdgeId>::with_key();
    weights.insert(e, 1.5).unwrap();
    let mut marks = SparseSecondaryPool::<&str, bool, NodeId>::with_key();
    marks.insert(b, true).unwrap();
    let _: Vec<(NodeId, &&str)> = nodes.iter().collect();
    assert_eq!(NodeId::from_handle(a.to_handle()), a);
    let mut dense = DensePool::<f32, NodeId>::with_key();
    let d: NodeId = dense.insert(1.0);
    assert_eq!(dense.as_slice(), [1.0]);
    assert_eq!(dense[d], 1.0);

    assert_send_sync::<NodeId>();
    assert_send_sync::<Pool<u8, EdgeId>>();
    assert_send_sync::<DensePool<u8, EdgeId>>();
}
