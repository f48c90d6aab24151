module example.com/abba-mutex

go 1.19
