//! Needs: pool.rs
//! Adds methods: starmap, starmap_with_chunksize, starmap_async
//!
//! [`ThreadPool::starmap`] and [`ThreadPool::starmap_async`], added to the core pool of
//! `pool.rs`, and the [`StarFn`] trait that unpacks a tuple into a function's arguments.
//!
//! Map. No thread or state of its own: `starmap` is `map` over tuples, through the pool.
//!
//! Copying it: this file has no `cfg(shuttle)` line of its own; `pool.rs`, which it needs,
//! says what to do with its.
//!
//! Python twin: `Pool.starmap`, `Pool.starmap_async`: `starmap(func, [(1, 2), (3, 4)])`
//! calls `func(1, 2)` and `func(3, 4)`, as `itertools.starmap` does.

use super::pool::{AsyncResult, PoolError, ThreadPool};

impl ThreadPool {
    /// Python: `starmap(func, iterable_of_tuples)`. Each item is a tuple whose fields are the
    /// arguments of one call: `pool.starmap(task, [(1, 2), (3, 4)])` calls `task(1, 2)` and
    /// `task(3, 4)`. Rust cannot unpack a tuple into arguments at run time, so [`StarFn`] does
    /// it for functions of one to four arguments, checked at compile time. Otherwise it is
    /// [`map`](ThreadPool::map): the values in the items' order, the first panic once every
    /// chunk is done.
    pub fn starmap<Args, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = Args>,
    ) -> Result<Vec<F::Output>, PoolError>
    where
        F: StarFn<Args>,
        Args: Send + 'static,
    {
        self.starmap_async(f, items)?.into_result()
    }

    /// Python: `starmap(func, iterable_of_tuples, chunksize)`.
    ///
    /// # Panics
    /// If `chunksize` is 0.
    pub fn starmap_with_chunksize<Args, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = Args>,
        chunksize: usize,
    ) -> Result<Vec<F::Output>, PoolError>
    where
        F: StarFn<Args>,
        Args: Send + 'static,
    {
        self.map_with_chunksize(move |args| f.call_with(args), items, chunksize)
    }

    /// Python: `starmap_async(func, iterable_of_tuples)`: returns at once with an
    /// [`AsyncResult`] holding the `Vec` of values.
    pub fn starmap_async<Args, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = Args>,
    ) -> Result<AsyncResult<Vec<F::Output>>, PoolError>
    where
        F: StarFn<Args>,
        Args: Send + 'static,
    {
        self.map_async(move |args| f.call_with(args), items)
    }
}

/// A function that [`ThreadPool::starmap`] can call with a tuple of arguments, the way
/// Python's `starmap` calls `func(*args)`. Implemented for every `Fn` of one to four
/// arguments (with a tuple of the same types).
pub trait StarFn<Args>: Send + Sync + 'static {
    /// What the function returns.
    type Output: Send + 'static;
    /// Calls the function with the tuple's fields as its arguments.
    fn call_with(&self, args: Args) -> Self::Output;
}

macro_rules! star_fn {
    ($($arg:ident),+) => {
        impl<Func, Out, $($arg),+> StarFn<($($arg,)+)> for Func
        where
            Func: Fn($($arg),+) -> Out + Send + Sync + 'static,
            Out: Send + 'static,
        {
            type Output = Out;
            #[allow(non_snake_case)]
            fn call_with(&self, ($($arg,)+): ($($arg,)+)) -> Out {
                self($($arg),+)
            }
        }
    };
}

star_fn!(A);
star_fn!(A, B);
star_fn!(A, B, C);
star_fn!(A, B, C, D);
