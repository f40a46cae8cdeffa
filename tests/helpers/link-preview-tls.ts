/**
 * A self-signed certificate for the name page.test, valid until 2126, which the
 * link preview tests trust for a while to check HTTPS through a pinned address.
 * Made with: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes
 *   -days 36500 -subj /CN=page.test -addext subjectAltName=DNS:page.test
 *   -addext basicConstraints=critical,CA:TRUE
 */
export const PAGE_TEST_TLS = {
  cert: `-----BEGIN CERTIFICATE-----
MIIBlTCCATugAwIBAgIUESyZJfYqas0fnccM1aM5+Zkp+FswCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJcGFnZS50ZXN0MCAXDTI2MTIwNzAxNTcxM1oYDzIxMjYxMTEz
MDE1NzEzWjAUMRIwEAYDVQQDDAlwYWdlLnRlc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATspmmJfbz0mJNQIaupcUqL8xAoDTAznKKLOdIVgOgSTSX8h8rQGe61
H8o/dhxSSZw7BF2uM7PYfvrvxvTWacrmo2kwZzAdBgNVHQ4EFgQU6xsXmvGIopud
SY3+gWz9MKmkJ2YwHwYDVR0jBBgwFoAU6xsXmvGIopudSY3+gWz9MKmkJ2YwFAYD
VR0RBA0wC4IJcGFnZS50ZXN0MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID
SAAwRQIgE0rXJ/QNOB/RoquwJ6JMflRzRq8U09+H6qsnd7qq9Y8CIQDbCu7+rEh+
kOS6HfdvDS+tmdID21mmFiVspgVOVUskmw==
-----END CERTIFICATE-----`,
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgG7o1TKsUeIsWIhpe
6zDiBHgu8mzrZLFxC+0oMMApa5ihRANCAATspmmJfbz0mJNQIaupcUqL8xAoDTAz
nKKLOdIVgOgSTSX8h8rQGe61H8o/dhxSSZw7BF2uM7PYfvrvxvTWacrm
-----END PRIVATE KEY-----`,
};
