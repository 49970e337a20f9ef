#![doc = include_str!("../README.md")]

pub mod breaks;
pub mod error;
pub mod judge;
pub mod output;
pub mod report;
pub mod run;
pub mod spec;
pub mod timeline;

pub use error::{ParseError, SystemError};
