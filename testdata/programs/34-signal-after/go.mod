module example.com/signal-after

go 1.19
