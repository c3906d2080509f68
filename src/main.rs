#[tokio::main]
async fn main() -> std::process::ExitCode {
    reservo::server::cli::run().await
}
