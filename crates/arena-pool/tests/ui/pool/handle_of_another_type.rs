use arena_pool::Pool;

struct Foo;
struct Bar;

fn main() {
    let mut foos = Pool::new();
    let bars: Pool<Bar> = Pool::new();
    let foo = foos.insert(Foo);
    let _ = bars.get(foo);
}
