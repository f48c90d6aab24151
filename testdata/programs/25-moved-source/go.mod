module example.com/moved-source

go 1.19
