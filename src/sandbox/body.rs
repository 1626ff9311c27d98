//! The sandbox's response body: whole, or dripped a few bytes at a time (a fault), without boxing.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

/// A response body.
pub(crate) enum Reply {
    /// All at once (`None` once sent).
    Whole(Option<Bytes>),
    /// In chunks with pauses between them.
    Drip {
        rest: Bytes,
        chunk: usize,
        interval: Duration,
        pause: Option<Pin<Box<Sleep>>>,
    },
}

impl Reply {
    pub fn whole(bytes: impl Into<Bytes>) -> Reply {
        Reply::Whole(Some(bytes.into()))
    }

    pub fn drip(bytes: impl Into<Bytes>, chunk: usize, interval: Duration) -> Reply {
        Reply::Drip {
            rest: bytes.into(),
            chunk: chunk.max(1),
            interval,
            pause: None,
        }
    }

    fn remaining(&self) -> u64 {
        match self {
            Reply::Whole(b) => b.as_ref().map_or(0, |b| b.len() as u64),
            Reply::Drip { rest, .. } => rest.len() as u64,
        }
    }
}

impl Body for Reply {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Reply::Whole(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Reply::Drip {
                rest,
                chunk,
                interval,
                pause,
            } => {
                if rest.is_empty() {
                    return Poll::Ready(None);
                }
                if let Some(sleep) = pause {
                    if sleep.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                }
                *pause = Some(Box::pin(tokio::time::sleep(*interval)));
                let n = (*chunk).min(rest.len());
                Poll::Ready(Some(Ok(Frame::data(rest.split_to(n)))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining() == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining())
    }
}
