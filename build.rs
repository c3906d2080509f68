// sqlx::migrate! embeds the migrations at compile time; a migration added
// without a change to the Rust code must still rebuild the crate.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
