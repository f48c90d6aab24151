module example.com/once-blocked

go 1.19
