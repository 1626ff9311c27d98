//! 64 threads x 1000 sends on one shared client against a permissive sandbox: no error, every
//! id distinct, exactly one request per send.

use std::collections::HashSet;
use std::sync::{Arc, Barrier};

use ihuyi::sandbox::Sandbox;
use ihuyi::{Client, Product};

const THREADS: usize = 64;
const SENDS: usize = 1000;

#[test]
fn sixty_four_threads_times_a_thousand_sends_on_one_client() {
    let sandbox = Sandbox::start_default().unwrap();
    let account = sandbox.account(Product::Sms);
    let client = Arc::new(
        Client::builder(Product::Sms)
            .account(account.account)
            .apikey(account.apikey)
            .base_url(sandbox.base_url())
            .build()
            .unwrap(),
    );
    let start = Arc::new(Barrier::new(THREADS));
    let started = std::time::Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let client = Arc::clone(&client);
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                (0..SENDS)
                    .map(|_| {
                        client.send(
                            "13800138000",
                            "您的验证码是:1234。请不要把验证码泄露给其他人。【互亿无线】",
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<_> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let elapsed = started.elapsed();
    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        errors.is_empty(),
        "{} errors, first: {}",
        errors.len(),
        errors[0]
    );
    let ids: HashSet<_> = results.into_iter().map(|r| r.unwrap().id).collect();
    assert_eq!(ids.len(), THREADS * SENDS, "all ids distinct");
    assert_eq!(
        sandbox.requests().len(),
        THREADS * SENDS,
        "one request per send"
    );
    eprintln!("{THREADS} threads x {SENDS} sends: {elapsed:?}");
}
