//! The [`Mailer`] port over lettre: SMTP (with STARTTLS or TLS as the URL says) for real
//! deployments and tests, or `.eml` files in `<data dir>/mail/` for a laptop without a mail
//! server. Production refuses the file transport.

use std::path::PathBuf;

use anyhow::Context as _;
use app::ssr::ports::{Mailer, OutgoingEmail};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// Sends the outbox's emails with lettre.
pub struct LettreMailer {
    transport: Transport,
    from: Mailbox,
}

impl LettreMailer {
    /// SMTP to `url` (`smtp://host:port`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://host:465`).
    pub fn smtp(url: &str, from: &str) -> anyhow::Result<LettreMailer> {
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url).context("MOTCUA_SMTP_URL")?.build();
        Ok(LettreMailer {
            transport: Transport::Smtp(transport),
            from: from.parse().context("MOTCUA_MAIL_FROM")?,
        })
    }

    /// Writes each message as an `.eml` file into `dir` (development only).
    pub fn files(dir: PathBuf, from: &str) -> anyhow::Result<LettreMailer> {
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(LettreMailer {
            transport: Transport::File(AsyncFileTransport::new(dir)),
            from: from.parse().context("MOTCUA_MAIL_FROM")?,
        })
    }
}

#[async_trait::async_trait]
impl Mailer for LettreMailer {
    async fn send(&self, email: &OutgoingEmail) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(email.to.parse().context("recipient address")?)
            .subject(email.subject.clone())
            .multipart(MultiPart::alternative_plain_html(email.text.clone(), email.html.clone()))
            .context("building the message")?;
        match &self.transport {
            Transport::Smtp(t) => {
                t.send(message).await.context("SMTP delivery")?;
            }
            Transport::File(t) => {
                t.send(message).await.context("writing the message file")?;
            }
        }
        Ok(())
    }
}
