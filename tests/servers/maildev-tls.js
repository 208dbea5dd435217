// maildev's command line, for implicit TLS (--incoming-secure): maildev 2.1.0 rethrows any SMTP socket
// error but a read reset, so a client that closes during the TLS handshake (a readiness probe, a client
// refusing the certificate) would end the whole server. Here such errors are printed and the server
// goes on, as a real mail server does.
const mailServer = require('maildev/lib/mailserver')
mailServer.onSmtpError = function (err) {
  console.error(`SMTP connection error ignored: ${err.code || ''} ${err.message}`)
}
require('maildev/bin/maildev')
