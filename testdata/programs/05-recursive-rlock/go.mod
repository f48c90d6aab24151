module example.com/recursive-rlock

go 1.19
