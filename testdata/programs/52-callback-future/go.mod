module example.com/callback-future

go 1.19
