module example.com/lock-held-callback

go 1.19
