"""Who is asking: user identities and the authenticators that establish them (x509
client certificates, bearer tokens). Authorization decides later what they may do."""
