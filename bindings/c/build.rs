//! Gives the shared library a soname, so programs record `libihuyi.so.0` and a later compatible
//! release can replace the file.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libihuyi.so.0");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
