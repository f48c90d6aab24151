module example.com/self-deadlock

go 1.19
