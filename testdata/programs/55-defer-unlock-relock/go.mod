module example.com/defer-unlock-relock

go 1.19
