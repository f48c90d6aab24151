module example.com/orphaned-timeout

go 1.19
