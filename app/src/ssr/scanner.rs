//! Malware scanning through clamd (ClamAV's daemon), when configured: the `INSTREAM`
//! command over TCP or a Unix socket. A scan that cannot run refuses the upload (fail
//! closed): an unscanned file is never attached while scanning is switched on.

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};

/// Where clamd listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clamd {
    /// `tcp://host:port`
    Tcp(String),
    /// `unix:///run/clamav/clamd.ctl`
    Unix(String),
}

/// What clamd said about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing found.
    Clean,
    /// The signature's name.
    Infected(String),
}

const TIMEOUT: Duration = Duration::from_secs(60);

impl Clamd {
    /// Parses `tcp://host:port` or `unix:///path`.
    pub fn parse(url: &str) -> anyhow::Result<Clamd> {
        if let Some(addr) = url.strip_prefix("tcp://") {
            Ok(Clamd::Tcp(addr.trim_end_matches('/').to_string()))
        } else if let Some(path) = url.strip_prefix("unix://") {
            Ok(Clamd::Unix(path.to_string()))
        } else {
            anyhow::bail!("clamd address must be tcp://HOST:PORT or unix:///PATH, not {url:?}")
        }
    }

    /// Scans a file.
    pub async fn scan_file(&self, path: &Path) -> anyhow::Result<Verdict> {
        let file = tokio::fs::File::open(path).await.context("opening the file to scan")?;
        let work = async {
            match self {
                Clamd::Tcp(addr) => {
                    let stream = tokio::net::TcpStream::connect(addr).await.context("connecting to clamd")?;
                    instream(stream, file).await
                }
                #[cfg(unix)]
                Clamd::Unix(path) => {
                    let stream =
                        tokio::net::UnixStream::connect(path).await.context("connecting to clamd")?;
                    instream(stream, file).await
                }
                #[cfg(not(unix))]
                Clamd::Unix(_) => anyhow::bail!("Unix sockets are not available here"),
            }
        };
        tokio::time::timeout(TIMEOUT, work).await.context("clamd did not answer in time")?
    }
}

async fn instream<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    mut file: tokio::fs::File,
) -> anyhow::Result<Verdict> {
    stream.write_all(b"zINSTREAM\0").await?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        let len = u32::try_from(n).context("chunk too large")?;
        stream.write_all(&len.to_be_bytes()).await?;
        stream.write_all(&buf[..n]).await?;
    }
    stream.write_all(&0u32.to_be_bytes()).await?;
    stream.flush().await?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await?;
    parse_reply(&String::from_utf8_lossy(&reply))
}

/// `stream: OK`, `stream: Name FOUND`, or an error such as `INSTREAM size limit exceeded. ERROR`.
fn parse_reply(reply: &str) -> anyhow::Result<Verdict> {
    let reply = reply.trim_end_matches(['\0', '\n', '\r', ' ']);
    let body = reply.strip_prefix("stream: ").unwrap_or(reply);
    if body == "OK" {
        Ok(Verdict::Clean)
    } else if let Some(name) = body.strip_suffix(" FOUND") {
        Ok(Verdict::Infected(name.to_string()))
    } else {
        anyhow::bail!("clamd answered {reply:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_understood() {
        assert_eq!(parse_reply("stream: OK\0").unwrap(), Verdict::Clean);
        assert_eq!(
            parse_reply("stream: MotCua.Test.EICAR.UNOFFICIAL FOUND\0").unwrap(),
            Verdict::Infected("MotCua.Test.EICAR.UNOFFICIAL".into())
        );
        assert!(parse_reply("INSTREAM size limit exceeded. ERROR\0").is_err());
    }

    #[test]
    fn addresses_parse() {
        assert_eq!(Clamd::parse("tcp://127.0.0.1:3310").unwrap(), Clamd::Tcp("127.0.0.1:3310".into()));
        assert_eq!(
            Clamd::parse("unix:///run/clamav/clamd.ctl").unwrap(),
            Clamd::Unix("/run/clamav/clamd.ctl".into())
        );
        assert!(Clamd::parse("127.0.0.1:3310").is_err());
    }
}
