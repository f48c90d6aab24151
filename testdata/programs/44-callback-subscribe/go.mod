module example.com/callback-subscribe

go 1.19
