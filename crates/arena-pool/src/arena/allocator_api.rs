//! `allocator-api2` support: `&Arena` as an [`Allocator`] for collections.
