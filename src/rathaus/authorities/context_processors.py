def authority(request):
    return {"authority": getattr(request, "authority", None)}
