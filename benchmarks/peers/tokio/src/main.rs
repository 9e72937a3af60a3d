//! The load harness's tokio + hyper peer: the same endpoints as benchmarks/SyncContext.Load/Server.
//!
//! Async routes run on tokio's worker threads (one per core); sync work runs through `spawn_blocking`, on
//! tokio's blocking pool with its defaults (up to 512 threads, started on demand, kept 10 s when idle).
//!
//! Usage: synccontext-peer-tokio --port P --cpu-iterations N [--parent PID]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Request, Response, Server, StatusCode};
use sha2::{Digest, Sha256};

/// What `/slow` and `/pool` block for.
const SLOW: Duration = Duration::from_millis(100);
/// The pooled "connections" `/pool` waits for.
const POOL_SIZE: usize = 32;
/// `/cpu` hashes this many bytes per iteration: byte i of the chunk is i mod 256.
const CHUNK_BYTES: usize = 16384;

/// A counting semaphore that blocks the calling (blocking-pool) thread, like a sync connection pool.
struct ConnectionPool {
    free: Mutex<usize>,
    released: Condvar,
}

impl ConnectionPool {
    fn with_sleep(&self, duration: Duration) {
        let mut free = self.free.lock().unwrap();
        while *free == 0 {
            free = self.released.wait(free).unwrap();
        }
        *free -= 1;
        drop(free);
        std::thread::sleep(duration);
        *self.free.lock().unwrap() += 1;
        self.released.notify_one();
    }
}

struct Work {
    cpu_iterations: u64,
    chunk: Vec<u8>,
    pool: ConnectionPool,
}

impl Work {
    /// SHA-256 over `cpu_iterations` copies of the chunk, as lowercase hex: the same digest in every peer.
    fn hash(&self) -> String {
        let mut hasher = Sha256::new();
        for _ in 0..self.cpu_iterations {
            hasher.update(&self.chunk);
        }
        hasher.finalize().iter().map(|b| format!("{:02x}", b)).collect()
    }
}

async fn offload<F>(work: F) -> String
where
    F: FnOnce() -> String + Send + 'static,
{
    tokio::task::spawn_blocking(work).await.expect("blocking task panicked")
}

async fn handle(request: Request<Body>, work: Arc<Work>) -> Result<Response<Body>, Infallible> {
    let body = match request.uri().path() {
        "/fast" => "fast".to_string(),
        "/inline" => "sync".to_string(),
        "/sync" => offload(|| "sync".to_string()).await,
        "/slow" => {
            offload(|| {
                std::thread::sleep(SLOW);
                "slow".to_string()
            })
            .await
        }
        "/cpu" => offload(move || work.hash()).await,
        "/pool" => {
            offload(move || {
                work.pool.with_sleep(SLOW);
                "pool".to_string()
            })
            .await
        }
        _ => {
            let mut response = Response::new(Body::from("not found"));
            *response.status_mut() = StatusCode::NOT_FOUND;
            return Ok(response);
        }
    };
    Ok(Response::new(Body::from(body)))
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = arg(&args, "--port").expect("--port").parse().expect("--port: a number");
    let cpu_iterations: u64 = arg(&args, "--cpu-iterations").expect("--cpu-iterations").parse().expect("--cpu-iterations: a number");
    let parent: Option<u32> = arg(&args, "--parent").map(|p| p.parse().expect("--parent: a pid"));

    let work = Arc::new(Work {
        cpu_iterations,
        chunk: (0..CHUNK_BYTES).map(|i| (i % 256) as u8).collect(),
        pool: ConnectionPool { free: Mutex::new(POOL_SIZE), released: Condvar::new() },
    });

    // Bounded life: exit when the harness that started this process is gone.
    if let Some(pid) = parent {
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                if !std::path::Path::new(&format!("/proc/{}", pid)).exists() {
                    std::process::exit(0);
                }
            }
        });
    }

    let make_service = make_service_fn(move |_| {
        let work = work.clone();
        async move { Ok::<_, Infallible>(service_fn(move |request| handle(request, work.clone()))) }
    });
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    println!("READY");
    if let Err(e) = Server::bind(&address).serve(make_service).await {
        eprintln!("server error: {}", e);
        std::process::exit(1);
    }
}
