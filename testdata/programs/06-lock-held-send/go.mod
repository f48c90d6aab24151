module example.com/lock-held-send

go 1.19
