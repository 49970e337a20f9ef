#![doc = include_str!("../README.md")]

pub mod breaks;
pub mod error;
pub mod judge;
pub mod output;
pub mod report;
pub mod run;
pub mod spec;

pub use error::{ParseError, SystemError};
