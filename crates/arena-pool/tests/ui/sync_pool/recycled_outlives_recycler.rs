use arena_pool::Recycler;

fn main() {
    let pulled;
    {
        let recycler = Recycler::new(Vec::<u8>::new);
        pulled = recycler.pull();
    }
    println!("{}", pulled.len());
}
