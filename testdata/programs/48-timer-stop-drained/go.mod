module example.com/timer-stop-drained

go 1.19
