module example.com/anon-struct-lock

go 1.19
