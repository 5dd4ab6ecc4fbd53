"""Routes: dumps."""

from fastapi import APIRouter

router = APIRouter()
