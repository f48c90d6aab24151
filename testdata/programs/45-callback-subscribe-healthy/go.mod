module example.com/callback-subscribe-healthy

go 1.19
