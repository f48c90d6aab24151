module example.com/cond-l-lock

go 1.19
