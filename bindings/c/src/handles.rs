//! Opaque handles without trusting the pointer.
//!
//! A handle given to C is the address of an object owned by a registry, never dereferenced as
//! given. Each use looks the address up: a freed (or invented) handle is found missing and
//! reported as `IHUYI_ERR_INVALID_HANDLE` instead of being read, so a use after free is a status,
//! not a crash, and valgrind stays quiet. The lookup clones an `Arc`, so a handle freed by one
//! thread while another is still using it stays alive until that call returns.
//!
//! Limit: once freed, an address can be given to a new object of the same kind, and a stale copy
//! of the old handle then reaches the new object. Detection is "where detectable".

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::error::Failure;
use crate::status::ihuyi_status::*;

/// The live objects of one handle type.
pub(crate) struct Registry<T> {
    what: &'static str,
    live: RwLock<Option<HashMap<usize, Arc<T>>>>,
}

impl<T> Registry<T> {
    /// An empty registry; `what` names the C type in messages (`ihuyi_client`).
    pub const fn new(what: &'static str) -> Registry<T> {
        Registry {
            what,
            live: RwLock::new(None),
        }
    }

    /// Takes ownership of `object` and returns its handle.
    pub fn insert<H>(&self, object: T) -> *mut H {
        let object = Arc::new(object);
        let address = Arc::as_ptr(&object) as usize;
        self.live
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert_with(HashMap::new)
            .insert(address, object);
        address as *mut H
    }

    /// The object behind a handle, if it is live.
    pub fn get<H>(&self, handle: *const H, name: &str) -> Result<Arc<T>, Failure> {
        if handle.is_null() {
            return Err(Failure::null(name));
        }
        self.live
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .and_then(|live| live.get(&(handle as usize)).cloned())
            .ok_or_else(|| {
                Failure::new(
                    IHUYI_ERR_INVALID_HANDLE,
                    format!(
                        "argument `{name}` is not a live {}: it was already freed, or was never \
                         returned by libihuyi",
                        self.what
                    ),
                )
            })
    }

    /// Releases a handle; NULL and handles that are not live are ignored. The object is dropped
    /// here unless another thread is still using it.
    pub fn remove<H>(&self, handle: *const H) -> Option<Arc<T>> {
        if handle.is_null() {
            return None;
        }
        let mut guard = self.live.write().unwrap_or_else(|p| p.into_inner());
        let removed = guard
            .as_mut()
            .and_then(|live| live.remove(&(handle as usize)));
        // The table goes once the last handle does: a program that freed everything holds no
        // memory of ours (valgrind would otherwise call the idle table "possibly lost").
        if guard.as_ref().is_some_and(HashMap::is_empty) {
            *guard = None;
        }
        removed
    }
}
