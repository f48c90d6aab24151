module example.com/polling-loop-no-exit

go 1.19
