module example.com/cond-no-signal

go 1.19
