//! [`Scope`]: a region of an arena that is freed when it ends.

use core::alloc::Layout;
use core::marker::PhantomData;
use core::mem::MaybeUninit;
use core::ptr::NonNull;

use super::{Arena, Checkpoint};
use crate::error::{AllocError, AllocOrInitError, TryAllocError};

/// A handle that allocates from an [`Arena`] for the length of one
/// [`Arena::scope`] (or [`Scope::scope`]) call, after which everything it
/// allocated is freed.
///
/// References it returns live for `'s`, the whole scope, so values allocated
/// early in a scope can be used alongside values of a nested scope. Nothing
/// can escape: `'s` ends when the closure returns, and while a nested scope
/// runs, this handle is mutably borrowed and cannot allocate.
///
/// Like [`Arena`], a scope never runs destructors.
///
/// ```
/// use arena_pool::Arena;
///
/// let mut arena = Arena::new();
/// arena.scope(|outer| {
///     let names = outer.alloc_slice_copy(&["a", "b"]);
///     for _ in 0..3 {
///         outer.scope(|inner| {
///             let joined = inner.alloc_str(&names.concat());
///             assert_eq!(joined, "ab");
///         });
///     }
///     assert_eq!(names.len(), 2);
/// });
/// ```
///
/// A reference from a nested scope cannot leak into the outer one:
///
/// ```compile_fail
/// use arena_pool::Arena;
///
/// let mut arena = Arena::new();
/// arena.scope(|outer| {
///     let mut slot: &u32 = outer.alloc(0);
///     outer.scope(|inner| slot = inner.alloc(1));
///     assert_eq!(*slot, 1);
/// });
/// ```
pub struct Scope<'s> {
    arena: &'s Arena,
    /// Invariant in `'s`: a scope's lifetime can be neither stretched nor
    /// shrunk to match another scope's.
    _invariant: PhantomData<fn(&'s ()) -> &'s ()>,
}

/// Rewinds the arena when the scope ends, on return or unwind.
struct Rewind<'s> {
    arena: &'s Arena,
    checkpoint: Checkpoint,
}

impl Drop for Rewind<'_> {
    fn drop(&mut self) {
        // SAFETY: the checkpoint was taken from this arena when the scope
        // began; the arena cannot have been reset since (that needs `&mut
        // Arena`, which the scope borrows). Everything allocated after it came
        // through the scope's handle, whose references cannot outlive the
        // closure that is now finished.
        unsafe { self.arena.rewind(self.checkpoint) };
    }
}

impl Scope<'_> {
    /// Runs `f` with a fresh scope over `arena` and rewinds the arena after.
    pub(super) fn run<R>(arena: &Arena, f: impl FnOnce(&mut Scope<'_>) -> R) -> R {
        let _rewind = Rewind {
            arena,
            checkpoint: arena.checkpoint(),
        };
        f(&mut Scope {
            arena,
            _invariant: PhantomData,
        })
    }
}

impl<'s> Scope<'s> {
    /// The arena this scope allocates from. Whoever holds the returned
    /// reference must also hold a borrow of the scope for as long, so that
    /// no nested scope can run (and rewind) meanwhile.
    #[inline(always)]
    pub(crate) fn arena(&self) -> &Arena {
        self.arena
    }

    /// Runs `f` with a nested scope; what `f` allocates is freed when it
    /// returns, while this scope's allocations stay.
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let mut arena = Arena::new();
    /// arena.scope(|outer| {
    ///     outer.alloc(1u64);
    ///     let before = outer.allocated_bytes();
    ///     outer.scope(|inner| {
    ///         inner.alloc_bytes_zeroed(4096);
    ///     });
    ///     assert_eq!(outer.allocated_bytes(), before);
    /// });
    /// ```
    pub fn scope<R>(&mut self, f: impl FnOnce(&mut Scope<'_>) -> R) -> R {
        Scope::run(self.arena, f)
    }

    /// Bytes allocated in the underlying arena, this scope's and its
    /// parents' allocations included. See [`Arena::allocated_bytes`].
    ///
    /// ```
    /// use arena_pool::Arena;
    ///
    /// let mut arena = Arena::new();
    /// arena.scope(|scope| {
    ///     scope.alloc(0u32);
    ///     assert_eq!(scope.allocated_bytes(), 4);
    /// });
    /// ```
    #[must_use]
    pub fn allocated_bytes(&self) -> usize {
        self.arena.allocated_bytes()
    }
}

/// Generates the scope's allocation methods, each forwarding to the arena's
/// method of the same name, with references that live for the whole scope.
macro_rules! forward {
    ($(
        $(#[$doc:meta])*
        fn $name:ident $(<$($generic:ident $(: $bound:path)?),*>)? ($($arg:ident: $ty:ty),*) -> $ret:ty;
    )*) => {
        impl<'s> Scope<'s> {
            $(
                $(#[$doc])*
                #[inline(always)]
                #[allow(clippy::mut_from_ref)]
                pub fn $name $(<$($generic $(: $bound)?),*>)? (&self, $($arg: $ty),*) -> $ret {
                    self.arena.$name($($arg),*)
                }
            )*
        }
    };
}

forward! {
    /// [`Arena::alloc`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(*s.alloc(3), 3));
    /// ```
    fn alloc<T>(value: T) -> &'s mut T;
    /// [`Arena::try_alloc`] for the scope.
    ///
    /// # Errors
    /// The value back, with the reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::fixed(0);
    /// arena.scope(|s| assert_eq!(s.try_alloc(3).unwrap_err().into_value(), 3));
    /// ```
    fn try_alloc<T>(value: T) -> Result<&'s mut T, TryAllocError<T>>;
    /// [`Arena::alloc_with`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate or `f` panics.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(s.alloc_with(|| [7u8; 32])[31], 7));
    /// ```
    fn alloc_with<T, F: FnOnce() -> T>(f: F) -> &'s mut T;
    /// [`Arena::try_alloc_with`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::fixed(0);
    /// arena.scope(|s| assert!(s.try_alloc_with(|| 1u8).is_err()));
    /// ```
    fn try_alloc_with<T, F: FnOnce() -> T>(f: F) -> Result<&'s mut T, AllocError>;
    /// [`Arena::alloc_try_with`] for the scope.
    ///
    /// # Errors
    /// The closure's error.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate or `f` panics.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(*s.alloc_try_with(|| "3".parse::<u8>()).unwrap(), 3));
    /// ```
    fn alloc_try_with<T, E, F: FnOnce() -> Result<T, E>>(f: F) -> Result<&'s mut T, E>;
    /// [`Arena::try_alloc_try_with`] for the scope.
    ///
    /// # Errors
    /// Which of allocation and `f` failed, and why.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::fixed(0);
    /// arena.scope(|s| assert!(s.try_alloc_try_with(|| Ok::<u8, ()>(1)).is_err()));
    /// ```
    fn try_alloc_try_with<T, E, F: FnOnce() -> Result<T, E>>(f: F) -> Result<&'s mut T, AllocOrInitError<E>>;
    /// [`Arena::alloc_default`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(*s.alloc_default::<u16>(), 0));
    /// ```
    fn alloc_default<T: Default>() -> &'s mut T;
    /// [`Arena::try_alloc_default`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(*s.try_alloc_default::<u16>().unwrap(), 0));
    /// ```
    fn try_alloc_default<T: Default>() -> Result<&'s mut T, AllocError>;
    /// [`Arena::alloc_slice_copy`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(s.alloc_slice_copy(&[1, 2]), &[1, 2]));
    /// ```
    fn alloc_slice_copy<T: Copy>(src: &[T]) -> &'s mut [T];
    /// [`Arena::try_alloc_slice_copy`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::fixed(1);
    /// arena.scope(|s| assert!(s.try_alloc_slice_copy(&[1u8, 2]).is_err()));
    /// ```
    fn try_alloc_slice_copy<T: Copy>(src: &[T]) -> Result<&'s mut [T], AllocError>;
    /// [`Arena::alloc_slice_clone`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate or a `clone` panics.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// # #[derive(Clone, Debug, PartialEq)]
    /// # struct Name(&'static str);
    /// arena.scope(|s| assert_eq!(s.alloc_slice_clone(&[Name("x")])[0], Name("x")));
    /// ```
    fn alloc_slice_clone<T: Clone>(src: &[T]) -> &'s mut [T];
    /// [`Arena::try_alloc_slice_clone`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(s.try_alloc_slice_clone(&[1]).unwrap(), &[1]));
    /// ```
    fn try_alloc_slice_clone<T: Clone>(src: &[T]) -> Result<&'s mut [T], AllocError>;
    /// [`Arena::alloc_slice_fill_with`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate or `f` panics.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(s.alloc_slice_fill_with(3, |i| i), &[0, 1, 2]));
    /// ```
    fn alloc_slice_fill_with<T, F: FnMut(usize) -> T>(len: usize, f: F) -> &'s mut [T];
    /// [`Arena::try_alloc_slice_fill_with`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert!(s.try_alloc_slice_fill_with(usize::MAX, |_| 0u8).is_err()));
    /// ```
    fn try_alloc_slice_fill_with<T, F: FnMut(usize) -> T>(len: usize, f: F) -> Result<&'s mut [T], AllocError>;
    /// [`Arena::alloc_slice_fill_iter`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate or the iterator panics.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(s.alloc_slice_fill_iter("ab".chars()), &['a', 'b']));
    /// ```
    fn alloc_slice_fill_iter<T, I: IntoIterator<Item = T>>(iter: I) -> &'s mut [T];
    /// [`Arena::try_alloc_slice_fill_iter`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(s.try_alloc_slice_fill_iter(1..3).unwrap(), &[1, 2]));
    /// ```
    fn try_alloc_slice_fill_iter<T, I: IntoIterator<Item = T>>(iter: I) -> Result<&'s mut [T], AllocError>;
    /// [`Arena::alloc_slice_try_fill_with`] for the scope.
    ///
    /// # Errors
    /// The closure's first error.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate or `f` panics.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(s.alloc_slice_try_fill_with(2, |i| Ok::<_, ()>(i)).unwrap(), &[0, 1]));
    /// ```
    fn alloc_slice_try_fill_with<T, E, F: FnMut(usize) -> Result<T, E>>(len: usize, f: F) -> Result<&'s mut [T], E>;
    /// [`Arena::alloc_slice_try_fill_iter`] for the scope.
    ///
    /// # Errors
    /// The iterator's first error.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate or the iterator panics.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert!(s.alloc_slice_try_fill_iter([Ok(1), Err(())]).is_err()));
    /// ```
    fn alloc_slice_try_fill_iter<T, E, I: IntoIterator<Item = Result<T, E>>>(iter: I) -> Result<&'s mut [T], E>;
    /// [`Arena::alloc_uninit`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(*s.alloc_uninit().write(4u16), 4));
    /// ```
    fn alloc_uninit<T>() -> &'s mut MaybeUninit<T>;
    /// [`Arena::try_alloc_uninit`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::fixed(1);
    /// arena.scope(|s| assert!(s.try_alloc_uninit::<u16>().is_err()));
    /// ```
    fn try_alloc_uninit<T>() -> Result<&'s mut MaybeUninit<T>, AllocError>;
    /// [`Arena::alloc_uninit_slice`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate or the size overflows.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(s.alloc_uninit_slice::<u8>(3).len(), 3));
    /// ```
    fn alloc_uninit_slice<T>(len: usize) -> &'s mut [MaybeUninit<T>];
    /// [`Arena::try_alloc_uninit_slice`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate or the size overflows.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert!(s.try_alloc_uninit_slice::<u32>(usize::MAX).is_err()));
    /// ```
    fn try_alloc_uninit_slice<T>(len: usize) -> Result<&'s mut [MaybeUninit<T>], AllocError>;
    /// [`Arena::alloc_str`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(s.alloc_str("hi"), "hi"));
    /// ```
    fn alloc_str(src: &str) -> &'s mut str;
    /// [`Arena::try_alloc_str`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::fixed(1);
    /// arena.scope(|s| assert!(s.try_alloc_str("hi").is_err()));
    /// ```
    fn try_alloc_str(src: &str) -> Result<&'s mut str, AllocError>;
    /// [`Arena::alloc_bytes_zeroed`] for the scope.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// arena.scope(|s| assert_eq!(s.alloc_bytes_zeroed(2), &[0, 0]));
    /// ```
    fn alloc_bytes_zeroed(len: usize) -> &'s mut [u8];
    /// [`Arena::try_alloc_bytes_zeroed`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::fixed(1);
    /// arena.scope(|s| assert!(s.try_alloc_bytes_zeroed(2).is_err()));
    /// ```
    fn try_alloc_bytes_zeroed(len: usize) -> Result<&'s mut [u8], AllocError>;
    /// [`Arena::alloc_layout`] for the scope; the memory is valid until the
    /// scope ends.
    ///
    /// # Panics
    /// Panics if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::new();
    /// let layout = std::alloc::Layout::new::<u128>();
    /// arena.scope(|s| assert_eq!(s.alloc_layout(layout).as_ptr() as usize % layout.align(), 0));
    /// ```
    fn alloc_layout(layout: Layout) -> NonNull<u8>;
    /// [`Arena::try_alloc_layout`] for the scope.
    ///
    /// # Errors
    /// The reason, if the arena cannot allocate.
    ///
    /// ```
    /// # let mut arena = arena_pool::Arena::fixed(0);
    /// let layout = std::alloc::Layout::new::<u8>();
    /// arena.scope(|s| assert!(s.try_alloc_layout(layout).is_err()));
    /// ```
    fn try_alloc_layout(layout: Layout) -> Result<NonNull<u8>, AllocError>;
}

impl core::fmt::Debug for Scope<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Scope")
            .field("allocated_bytes", &self.allocated_bytes())
            .finish()
    }
}
